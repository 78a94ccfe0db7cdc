import FoundationEssentials
import Protocol

/// T-Eval as ACBench runs it (spec §2): the eight evaluation files, `origin_prompt` rendered with
/// the model family's meta template, greedy generation of up to 512 tokens, ACBench's
/// `split_special_tokens`, and the reference evaluators.
///
/// Task fields: `subset` is a comma-separated list of run keys (`instruct_json`, `review_str`,
/// `plan_json`, `plan_str`, `reason_str`, `retrieve_str`, `understand_str`, `rru_json`; default
/// all eight); `data` the folder of the released `*_v2.json` files (default `teval`); `limit`
/// keeps the first samples per run. Params: `template` (`qwen`: ACBench's Qwen meta template as
/// raw text, the default; `chat`: the server's chat template), `variant = "generated"`.
public struct TEvalSuite: SingleTurnSuite {
    public static let maxTokens = 512
    private let embedder: (any SentenceEmbedder)?

    public init(embedder: (any SentenceEmbedder)? = nil) { self.embedder = embedder }

    static func runs(_ task: TaskSpec) throws -> [TEvalRun] {
        guard let s = task.subset, !s.isEmpty else { return TEvalRun.allCases }
        return try s.split(separator: ",").map { name in
            let n = String(name).pyStripped()
            guard let r = TEvalRun(rawValue: n) else {
                throw SuiteError.badData("teval: unknown run '\(n)' (known: \(TEvalRun.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return r
        }
    }

    /// The samples of one run's data file, in file order; errors name the file, the key and the field.
    public static func load(file: String) throws -> [(id: String, value: JSONValue)] {
        guard case .object(let pairs) = try JSONValue.parse(file: file) else {
            throw SuiteError.badData("\(file): expected a JSON object mapping sample ids to samples")
        }
        for (id, v) in pairs {
            let r = RecordReader(file: file, location: "sample \(id.debugDescription)", value: v)
            _ = try r.require("ground_truth")
            guard try r.require("origin_prompt").arrayValue != nil else { throw r.error("origin_prompt", "a list of messages") }
        }
        return pairs.map { ($0.0, $0.1) }
    }

    /// lagent's `LMTemplateParser` with ACBench's Qwen meta template.
    static func renderQwen(_ messages: [ChatMessage]) -> String {
        var out = ""
        for (k, m) in messages.enumerated() {
            let begin = "<|im_start|>\(m.role)\n"
            let known = ["user", "assistant", "function", "system"].contains(m.role)
            if k == messages.count - 1 && m.role == "assistant" { out += begin + m.content; return out }
            out += known ? begin + m.content + "<|im_end|>" : m.content
        }
        return out + "<|im_start|>assistant\n"
    }

    /// ACBench's `split_special_tokens`.
    public static func postProcess(_ text: String) -> String {
        var t = text
        for marker in ["<eoa>", "<TOKENS_UNUSED_1>", "<|im_end|>", "\nuser", "\nassistant", "\nUSER", "[INST]"] {
            t = t.pySplit(separator: marker)[0]
        }
        t = t.pyStripped()
        if t.hasPrefix("```json") { t = String(String.UnicodeScalarView(t.unicodeScalars.dropFirst(7))) }
        return t.pyStrip(["`"]).pyStripped()
    }

    public func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt] {
        let template = task.params["template"]?.stringValue ?? "qwen"
        guard template == "qwen" || template == "chat" else {
            throw SuiteError.badData("teval: param template = '\(template)': expected qwen or chat")
        }
        let generated = task.params["variant"]?.stringValue == "generated"
        let folder = generated ? try TEvalGenerated.folder()
            : ((task.data ?? "teval").hasPrefix("/") ? task.data! : context.dataRoot + "/" + (task.data ?? "teval"))
        var all: [(TEvalRun, String, JSONValue)] = []
        for run in try Self.runs(task) {
            let file = folder + "/" + run.fileName
            guard FileManager.default.fileExists(atPath: file) else {
                throw SuiteError.dataMissing("run acbench data fetch teval (no \(file))")
            }
            var samples = try Self.load(file: file)
            if let limit = task.limit { samples = Array(samples.prefix(max(0, limit))) }
            all += samples.map { (run, $0.id, $0.value) }
        }
        let range = Self.shardRange(count: all.count, shard: shard, shardCount: shardCount)
        return try all[range].enumerated().map { offset, item in
            let (run, id, value) = item
            let messages = try (value["origin_prompt"]?.arrayValue ?? []).enumerated().map { k, m in
                let r = RecordReader(file: run.fileName, location: "sample \(id.debugDescription) origin_prompt[\(k)]", value: m)
                return ChatMessage(role: try r.string("role"), content: try r.string("content"))
            }
            var stored = value.objectValue ?? []
            stored.removeAll { $0.0 == "origin_prompt" || $0.0 == "prediction" }
            return EvalPrompt(
                sampleId: "\(run.rawValue)-\(id)", index: offset,
                body: template == "qwen" ? .completion(Self.renderQwen(messages)) : .chat(messages),
                maxTokens: task.maxTokens(reference: Self.maxTokens), meta: ["run": run.rawValue, "id": id, "sample": JSONValue.object(stored).serialized])
        }
    }

    public func score(prompt: EvalPrompt, output: String) throws -> SampleResult {
        guard let run = prompt.meta["run"].flatMap(TEvalRun.init(rawValue:)),
              let sample = prompt.meta["sample"].flatMap({ try? JSONValue.parse($0) }) else {
            throw SuiteError.scorer("teval sample \(prompt.sampleId): meta lacks its run or sample")
        }
        // Predictions read back from a data file were post-processed by the inference step already.
        let prediction = prompt.meta["postprocessed"] == "1" ? output : Self.postProcess(output)
        let cosines: any TEvalCosines = [.instructJson, .reviewStr, .retrieveStr, .understandStr].contains(run)
            ? NoCosines() : EmbedderCosines(try embedder ?? SentenceEmbedders.required(for: "teval"))
        var scores: [String: Double] = [:], meta = ["run": run.rawValue]
        do {
            for (k, v) in try TEvalEvaluators.score(run, TEvalSample(id: prompt.meta["id"] ?? "", value: sample, prediction: prediction), cosines: cosines) {
                scores[k] = v.double
                if case .float32 = v { scores[k + ".float32"] = 1 }
            }
        } catch let e as SuiteError {
            scores["excluded"] = 1; meta["error"] = e.description
        }
        return SampleResult(sampleId: prompt.sampleId, index: prompt.index, scores: scores, output: prediction, meta: meta)
    }

    /// `<run>/<metric>` dataset levels (samples the reference cannot score left out), and with all
    /// eight runs the ability scores and `overall` (0–1).
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        var perRun: [TEvalRun: [[String: TNum]]] = [:]
        for r in results.sorted(by: { $0.index < $1.index }) {
            guard let run = r.meta["run"].flatMap(TEvalRun.init(rawValue:)), r.scores["excluded"] == nil else { continue }
            var sample: [String: TNum] = [:]
            for k in run.metricKeys { if let v = r.scores[k] { sample[k] = r.scores[k + ".float32"] != nil ? .float32(Float(v)) : .float(v) } }
            perRun[run, default: []].append(sample)
        }
        var out: [String: Double] = [:], levels: [TEvalRun: [String: Double]] = [:]
        for (run, samples) in perRun {
            let level = TEvalAggregate.datasetLevel(run, samples)
            levels[run] = level
            for (k, v) in level where !v.isNaN { out["\(run.rawValue)/\(k)"] = v }
        }
        for (name, value) in TEvalAggregate.abilities(levels) ?? [] { out[name.lowercased()] = value }
        return out
    }
}

/// For the runs that use no similarity.
struct NoCosines: TEvalCosines {
    func cosines(_ a: [String], _ b: [String]) throws -> [[Float]] { throw SuiteError.scorer("this T-Eval run uses no similarity") }
}
