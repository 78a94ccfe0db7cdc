/// `ReasonRetrieveUnderstandEvaluator` (spec §2.6) with the strict v2 args rule.
extension TEvalEvaluators {
    /// A reduced sample view: thought, name (strings) and args (dict in json mode, repr string in str mode).
    struct RRUView { var thought: String?, name: String?, args: PyValue? }

    /// `format_load(x, '{', '}')` reduced to thought/name/args; nil for `{}` (unparseable or not a dict).
    static func rruReduce(_ raw: JSONValue, jsonMode: Bool) -> RRUView? {
        let v: PyValue?
        if case .string(let text) = raw { v = try? TEvalFormat.load(text, start: "{", end: "}") } else { v = PyValue(raw) }
        guard let v, v.isDict else { return nil }
        let args: PyValue
        if jsonMode { args = (v["args"].map { $0.isDict ? $0 : .dict([]) }) ?? .dict([]) } else { args = .str(v["args"]?.pyStr ?? "") }
        return RRUView(thought: v["thought"]?.pyStr ?? "", name: v["name"]?.pyStr ?? "", args: args)
    }

    static func reasonRetrieveUnderstand(_ s: TEvalSample, run: TEvalRun, cosines: any TEvalCosines) throws -> [String: TNum] {
        let jsonMode = run.promptType == "json"
        let format = s.responseFormat(default: run.promptType)
        let gt = rruReduce(s.value["ground_truth"] ?? .null, jsonMode: jsonMode) ?? RRUView()
        let gtEmpty = rruReduce(s.value["ground_truth"] ?? .null, jsonMode: jsonMode) == nil
        var pred = RRUView()
        if format == "json" {
            if let p = rruReduce(.string(s.prediction), jsonMode: jsonMode), !gtEmpty { pred = p }
        } else if format == "str" {
            switch run.evalType {
            case "reason": pred.thought = s.prediction
            case "retrieve": pred.name = s.prediction
            case "understand": pred.args = .str(s.prediction)
            default: break
            }
        } else {
            throw SuiteError.scorer("t-eval \(run.rawValue) sample \(s.id): response_format '\(format)' is neither json nor str (the reference raises)")
        }
        var out: [String: TNum] = [:]
        for k in run.metricKeys { out[k] = .int(0) }
        if pred.thought != nil || pred.name != nil || pred.args != nil { out["parse_rate"] = .int(1) }
        if let pt = pred.thought, let gtThought = gt.thought, run.metricKeys.contains("thought") {
            let c = try cosines.cosines([pt], [gtThought])[0][0]
            out["thought"] = .float32(max(c, 0))
        }
        if let pn = pred.name, let gn = gt.name, run.metricKeys.contains("name") {
            if jsonMode {
                out["name"] = .int(pn.pyEquals(gn) ? 1 : 0)
            } else if !pn.pyContains(gn) {
                out["name"] = .int(0)
            } else {
                let dotted = (try? PyRegex(#"\w+\.\w+"#).findAll(pn).map { $0[0] }) ?? []
                let finish = (try? PyRegex("FinishAction").findAll(pn).map { $0[0] }) ?? []
                out["name"] = .int((dotted + finish).allSatisfy { $0.pyEquals(gn) } ? 1 : 0)
            }
        }
        if let pa = pred.args, let ga = gt.args, run.metricKeys.contains("args") {
            if case .dict(let gpairs) = ga {
                var hits = 0
                for (k, v) in gpairs {
                    if case .dict(let ppairs) = pa, let hit = ppairs.first(where: { $0.0 == k }), hit.1.pyStr.pyEquals(v.pyStr) { hits += 1 }
                }
                var score = TNum.float(Double(hits) / (Double(gpairs.count) + 1e-5))
                if gpairs.isEmpty && pa.dictCount == 0 { score = .int(1) }
                if gpairs.isEmpty && pa.dictCount != 0 { score = .int(0) }
                out["args"] = score
            } else {
                let predText = pa.pyStr.pyStrip(["'"]).pyStrip(["\""])
                out["args"] = .float(ga.pyStr.pyEquals(predText) ? 1.0 : 0.0)
            }
        }
        return out
    }
}

/// Dataset-level values (spec §2.4–2.8).
public enum TEvalAggregate {
    /// `np.mean` with the element types the reference had: all float32 → float32 arithmetic.
    public static func mean(_ values: [TNum]) -> Double {
        let f32 = values.compactMap { if case .float32(let f) = $0 { return f }; return nil }
        if !values.isEmpty && f32.count == values.count { return Double(NumPyReduce.meanFloat32(f32)) }
        return NumPyReduce.mean(values.map(\.double))
    }

    /// `np.round(x, 4)`: half to even on `x * 10**4`.
    public static func npRound4(_ x: Double) -> Double { (x * 10000).rounded(.toNearestOrEven) / 10000 }

    /// The run's `evaluate()` output from its per-sample metrics (samples in file order).
    public static func datasetLevel(_ run: TEvalRun, _ samples: [[String: TNum]]) -> [String: Double] {
        var out: [String: Double] = [:]
        for key in run.metricKeys {
            let values = samples.compactMap { $0[key] }
            let m = mean(values)
            out[key] = (run == .instructJson || run == .reviewStr) ? npRound4(m) : m
        }
        return out
    }

    /// The six ability scores and the overall score (0–1) from the eight runs' dataset levels.
    public static func abilities(_ r: [TEvalRun: [String: Double]]) -> [(String, Double)]? {
        func v(_ run: TEvalRun, _ k: String) -> Double? { r[run]?[k] }
        guard let jf = v(.instructJson, "json_format_metric"), let ja = v(.instructJson, "json_args_em_metric"),
              let sf = v(.instructJson, "string_format_metric"), let sa = v(.instructJson, "string_args_em_metric"),
              let ps = v(.planStr, "f1_score"), let pj = v(.planJson, "f1_score"),
              let rs = v(.reasonStr, "thought"), let rj = v(.rruJson, "thought"),
              let ts = v(.retrieveStr, "name"), let tj = v(.rruJson, "name"),
              let us = v(.understandStr, "args"), let uj = v(.rruJson, "args"),
              let review = v(.reviewStr, "review_quality") else { return nil }
        let six = [("Instruct", NumPyReduce.mean([(jf + ja) / 2, (sf + sa) / 2])), ("Plan", NumPyReduce.mean([ps, pj])),
                   ("Reason", NumPyReduce.mean([rs, rj])), ("Retrieve", NumPyReduce.mean([ts, tj])),
                   ("Understand", NumPyReduce.mean([us, uj])), ("Review", review)]
        return [("Overall", NumPyReduce.mean(six.map(\.1)))] + six
    }

    /// `convert_results`' line: `Overall: 59.0\tInstruct: 67.0\t...` (×100, `%.1f`).
    public static func printed(_ abilities: [(String, Double)]) -> String {
        abilities.map { "\($0.0): \(PyNum.format($0.1 * 100, digits: 1))\t" }.joined()
    }
}
