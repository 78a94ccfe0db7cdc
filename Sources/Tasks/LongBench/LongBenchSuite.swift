import FoundationEssentials
import Protocol

/// LongBench v1 as ACBench runs it (spec §4): the release's JSONL per dataset, the dataset's
/// prompt, middle truncation by the served model's tokens, its generation length, and the
/// reference metrics with `eval.py`'s first-line rule and aggregation.
///
/// Task fields: `subset` is a comma-separated dataset list (default: all 21); `data` the folder
/// of `<dataset>.jsonl` (default `longbench` under the data root); `limit` keeps the first
/// records of each dataset. Params: `max_length` (prompt tokens, default 3500, 0 = no
/// truncation), `chat` (`template`: the server's chat template; `qwen`, `internlm`, `gemma`:
/// the reference's hand-written wrappers; `none`), `jieba` (folder of jieba's dictionary,
/// default `jieba` under the data root), `variant = "generated"` (procedural data, no download).
public struct LongBenchSuite: SingleTurnSuite {
    public init() {}

    /// Datasets of a task, in order.
    public static func datasets(_ task: TaskSpec) throws -> [LongBenchDataset] {
        guard let subset = task.subset, !subset.isEmpty else { return LongBenchDataset.all }
        return try subset.split(separator: ",").map { name in
            let n = String(name).pyStripped()
            guard let d = LongBenchDataset.named(n) else {
                throw SuiteError.badData("longbench: unknown dataset '\(n)' in subset (known: \(LongBenchDataset.all.map(\.name).joined(separator: ", ")))")
            }
            return d
        }
    }

    /// The records of one dataset: the release file, or the generated variant.
    static func records(_ dataset: LongBenchDataset, task: TaskSpec, dataRoot: String) throws -> [LongBenchRecord] {
        if task.params["variant"]?.stringValue == "generated" {
            return try LongBenchGenerated.records(dataset, count: task.limit ?? LongBenchGenerated.defaultCount)
        }
        let folder = resolve(task.data ?? "longbench", dataRoot)
        let candidates = ["\(folder)/\(dataset.name).jsonl", "\(folder)/data/\(dataset.name).jsonl"]
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw SuiteError.dataMissing("run acbench data fetch longbench (no \(candidates[0]))")
        }
        var records = try LongBenchRecord.load(file: file)
        if let limit = task.limit { records = Array(records.prefix(max(0, limit))) }
        return records
    }

    static func resolve(_ path: String, _ root: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }

    public func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt] {
        let maxLength = task.params["max_length"]?.intValue ?? 3500
        let chat = task.params["chat"]?.stringValue ?? "template"
        guard ["template", "qwen", "internlm", "gemma", "none"].contains(chat) else {
            throw SuiteError.badData("longbench: param chat = '\(chat)': expected template, qwen, internlm, gemma or none")
        }
        let generated = task.params["variant"]?.stringValue == "generated"
        let jieba = generated ? LongBenchGenerated.jiebaFolder()
            : Self.resolve(task.params["jieba"]?.stringValue ?? "jieba", context.dataRoot)
        var all: [(LongBenchDataset, LongBenchRecord, [String]?)] = []
        for dataset in try Self.datasets(task) {
            let records = try Self.records(dataset, task: task, dataRoot: context.dataRoot)
            // eval.py scores every line with the last line's all_classes.
            let lastClasses = records.last?.allClasses
            all += records.map { (dataset, $0, lastClasses) }
        }
        let range = Self.shardRange(count: all.count, shard: shard, shardCount: shardCount)
        var out: [EvalPrompt] = []
        for (offset, (dataset, record, classes)) in all[range].enumerated() {
            var text = record.prompt(template: dataset.prompt)
            if maxLength > 0 {
                guard let tokenizer = context.tokenizer else {
                    throw SuiteError.badData("longbench: middle truncation needs the served model's tokenizer (or set max_length = 0)")
                }
                text = try await LongBenchScoring.truncate(text, maxLength: maxLength, tokenizer: tokenizer)
            }
            var meta = [
                "dataset": dataset.name, "length": String(record.length), "chat": chat,
                "answers": JSONValue.array(record.answers.map { .string($0) }).serialized,
            ]
            if let classes { meta["all_classes"] = JSONValue.array(classes.map { .string($0) }).serialized }
            if dataset.metric.needsSegmenter { meta["jieba"] = jieba }
            out.append(EvalPrompt(
                sampleId: "\(dataset.name)-\(record.id)", index: offset,
                body: Self.body(text, chat: dataset.skipsChatWrapping ? "none" : chat),
                maxTokens: task.maxTokens(reference: dataset.maxTokens), meta: meta))
        }
        return out
    }

    /// The request for a (truncated) prompt under a chat convention of `pred.py`.
    static func body(_ p: String, chat: String) -> PromptBody {
        switch chat {
        case "template": return .chat([ChatMessage(role: "user", content: p)])
        case "internlm": return .completion("<|User|>:\(p)<eoh>\n<|Bot|>:")
        case "qwen": return .completion("<|im_start|>user\n\(p)<|im_end|>\n<|im_start|>assistant\n")
        case "gemma": return .completion("<start_of_turn>user\n\(p)<end_of_turn>\n<start_of_turn>model")
        default: return .completion(p)
        }
    }

    /// `pred.py`'s post-processing: internlm cuts at `<eoa>`; qwen at `<|im_end|>`, then strips.
    static func postProcess(_ output: String, chat: String) -> String {
        switch chat {
        case "internlm": return output.pySplit(separator: "<eoa>")[0]
        case "qwen": return output.pySplit(separator: "<|im_end|>")[0].pyStripped()
        default: return output
        }
    }

    public func score(prompt: EvalPrompt, output: String) throws -> SampleResult {
        let name = prompt.meta["dataset"] ?? ""
        guard let dataset = LongBenchDataset.named(name) else {
            throw SuiteError.scorer("longbench sample \(prompt.sampleId): unknown dataset '\(name)'")
        }
        let answers = try Self.stringList(prompt.meta["answers"], "answers", prompt.sampleId) ?? []
        let classes = try Self.stringList(prompt.meta["all_classes"], "all_classes", prompt.sampleId)
        let segmenter = try dataset.metric.needsSegmenter
            ? LongBenchScoring.segmenter(folder: prompt.meta["jieba"] ?? "data/jieba") : nil
        let pred = Self.postProcess(output, chat: prompt.meta["chat"] ?? "template")
        let score = try LongBenchScoring.sampleScore(dataset: dataset, prediction: pred, answers: answers,
                                                     allClasses: classes, segmenter: segmenter)
        return SampleResult(sampleId: prompt.sampleId, index: prompt.index, scores: ["score": score], output: pred,
                            meta: ["dataset": name, "length": prompt.meta["length"] ?? "0"])
    }

    private static func stringList(_ text: String?, _ field: String, _ id: String) throws -> [String]? {
        guard let text else { return nil }
        guard let items = try? JSONValue.parse(text).arrayValue else {
            throw SuiteError.scorer("longbench sample \(id): meta '\(field)' is not a JSON list")
        }
        return items.compactMap(\.stringValue)
    }

    /// Per dataset `round(100·mean, 2)` (key = dataset name), `average` (plain mean of the
    /// dataset scores), and LongBench-E buckets as `<dataset>/<bucket>` (empty buckets left out).
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        var order: [String] = [], scores: [String: [Double]] = [:], lengths: [String: [Int]] = [:]
        for r in results.sorted(by: { $0.index < $1.index }) {
            guard let s = r.scores["score"], let d = r.meta["dataset"] else { continue }
            if scores[d] == nil { order.append(d) }
            scores[d, default: []].append(s)
            lengths[d, default: []].append(Int(r.meta["length"] ?? "") ?? 0)
        }
        var out: [String: Double] = [:]
        var total = 0.0
        for d in order {
            let v = LongBenchScoring.datasetScore(scores[d]!)
            out[d] = v; total += v
            for (bucket, value) in LongBenchScoring.lengthBuckets(scores: scores[d]!, lengths: lengths[d]!) where !value.isNaN {
                out["\(d)/\(bucket)"] = value
            }
        }
        if !order.isEmpty { out["average"] = total / Double(order.count) }
        return out
    }
}
