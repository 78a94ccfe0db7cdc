/// Per-sample metrics of the T-Eval evaluators (spec §2.4–2.7).
public enum TEvalEvaluators {
    /// The metrics of one sample. Throws `SuiteError.scorer` where the reference raises.
    public static func score(_ run: TEvalRun, _ s: TEvalSample, cosines: any TEvalCosines) throws -> [String: TNum] {
        switch run {
        case .instructJson: return try instruct(s)
        case .reviewStr: return review(s)
        case .planJson, .planStr: return try plan(s, promptType: s.value["meta"]?["prompt_type"]?.stringValue ?? run.promptType, cosines: cosines)
        default: return try reasonRetrieveUnderstand(s, run: run, cosines: cosines)
        }
    }

    // MARK: instruct

    static func instruct(_ s: TEvalSample) throws -> [String: TNum] {
        let format = s.responseFormat(default: "json")
        let template = s.value["template"] ?? .null
        let parsed = format == "json" ? instructJSON(s.prediction, template) : try instructString(s.prediction, template)
        guard let (action, args) = parsed else { return ["\(format)_format_metric": .int(0), "\(format)_args_em_metric": .int(0)] }
        let gt = PyValue(s.value["ground_truth"] ?? .null)
        var count = 0.0
        if gt["action"] ?? .none == action { count += 1 }
        var gtKeys: [(PyValue, PyValue)] = []
        if case .dict(let pairs)? = gt["args"] { gtKeys = pairs }
        for (k, v) in gtKeys {
            let predVal: PyValue
            if case .dict(let p) = args, let hit = p.first(where: { $0.0 == k }) { predVal = hit.1 } else { predVal = .str("") }
            if predVal == v { count += 1 }
        }
        return ["\(format)_format_metric": .int(1), "\(format)_args_em_metric": .float(count / Double(gtKeys.count + 1))]
    }

    private static func instructJSON(_ prediction: String, _ template: JSONValue) -> (PyValue, PyValue)? {
        guard let p = try? TEvalFormat.load(prediction), p.isDict,
              let tk = template["thought"]?.stringValue, let ak = template["action"]?.stringValue,
              let gk = template["args"]?.stringValue, p[tk] != nil, let action = p[ak], let args = p[gk] else { return nil }
        return (action, args.isDict ? args : .dict([]))
    }

    /// `parse_string` with the template used as an unescaped regular expression, `re.S`.
    private static func instructString(_ prediction: String, _ template: JSONValue) throws -> (PyValue, PyValue)? {
        let parts = ["thought_start", "thought_end", "action_start", "action_end", "args_start", "args_end"].map {
            template[$0]?.stringValue ?? ""
        }
        let pattern = parts[0] + "(.*)" + parts[1] + parts[2] + "(.*)" + parts[3] + parts[4] + "(.*)" + parts[5]
        let regex: PyRegex
        do { regex = try PyRegex(pattern, dotAll: true) } catch {
            throw SuiteError.scorer("t-eval instruct: the template is not a valid regular expression (\(error)); the reference raises re.error")
        }
        guard let first = regex.findAll(prediction).first, first.count >= 3 else { return nil }
        let action = PyValue.str(first[1].pyStripped())
        guard let args = try? PyLiteral.eval(first[2].pyStripped()) else { return (action, .dict([])) }
        return (action, args.isDict ? args : .dict([]))
    }

    // MARK: review

    static func review(_ s: TEvalSample) -> [String: TNum] {
        let p = s.prediction
        let after = p.pyFind(":").map { String(String.UnicodeScalarView(Array(p.unicodeScalars)[($0 + 1)...])) } ?? p
        let answer = after.pyStripped().unicodeScalars.first.flatMap { "ABCDE".unicodeScalars.contains($0) ? $0 : nil }
        guard let answer else { return ["parse_rate": .int(0), "review_quality": .int(0)] }
        let gold = s.value["ground_truth"]?["answer"]?.stringValue
        return ["parse_rate": .float(1.0), "review_quality": .float(gold.map { $0.pyEquals(String(answer)) } == true ? 1.0 : 0.0)]
    }

    // MARK: plan

    struct Step { var name: String, id: Int, args: String }

    /// `format_load(x, '[', ']')` reduced to steps; any failure gives [].
    static func planSteps(_ raw: PyValue) -> [Step] {
        guard case .list(let items) = raw else { return [] }
        var out: [Step] = []
        for e in items {
            guard let name = e["name"], let idv = e["id"], let args = e["args"] else { return [] }
            let id: Int
            switch idv {
            case .int(let i): id = i
            case .bool(let b): id = b ? 1 : 0
            case .float(let d) where d.isFinite: id = Int(d.rounded(.towardZero))
            case .str(let t): guard let i = Int(t.pyStripped()) else { return [] }; id = i
            default: return []
            }
            out.append(Step(name: name.pyStr, id: id, args: args.pyStr))
        }
        return out
    }

    private static func loadSteps(_ v: JSONValue) -> [Step] {
        if case .string(let text) = v { return (try? TEvalFormat.load(text, start: "[", end: "]")).map(planSteps) ?? [] }
        return planSteps(PyValue(v))
    }

    static func plan(_ s: TEvalSample, promptType: String, cosines: any TEvalCosines) throws -> [String: TNum] {
        let gold = loadSteps(s.value["ground_truth"] ?? .null)
        var pred: [Step]
        if promptType == "json" {
            pred = loadSteps(.string(s.prediction))
        } else {
            let apis = (s.value["meta"]?["API_list"]?.arrayValue ?? []).map { $0.stringValue ?? PyValue($0).pyStr }
            pred = []
            for piece in s.prediction.pySplit(separator: ". ").joined(separator: "\n").pySplit(separator: "\n") {
                var best: (Int, String)? = nil
                for api in apis { if let at = piece.pyFind(api), best == nil || at < best!.0 { best = (at, api) } }
                if let (_, api) = best { pred.append(Step(name: api, id: pred.count, args: piece)) }
            }
        }
        let parse = TNum.int(!pred.isEmpty && !gold.isEmpty ? 1 : 0)
        guard !pred.isEmpty, !gold.isEmpty else {
            return ["precision": .int(0), "recall": .int(0), "f1_score": .int(0), "parse_rate": parse]
        }
        func prepared(_ steps: [Step]) -> [Step] {
            var sorted = steps.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }.map(\.element)
            if sorted.last?.name.pyEquals("FinishAction") == true { sorted.removeLast() }
            return sorted
        }
        let p = prepared(pred), g = prepared(gold)
        guard !p.isEmpty, !g.isEmpty else {
            throw SuiteError.scorer("t-eval plan: the plan is empty once its final FinishAction is dropped (the reference raises in cos_sim)")
        }
        let names = try cosines.cosines(p.map(\.name), g.map(\.name))
        let args = try cosines.cosines(p.map(\.args), g.map(\.args))
        let w = names.indices.map { i in names[i].indices.map { j in
            Double(max(names[i][j], 0)) * 0.75 + Double(max(args[i][j], 0)) * 0.25
        } }
        let k = WorfBenchScorer.lis(WorfBenchScorer.match(w, threshold: 0.8))
        let r = PRF(matched: k, predicted: p.count, gold: g.count)
        return ["precision": .float(r.precision), "recall": .float(r.recall), "f1_score": .float(r.f1), "parse_rate": parse]
    }
}
