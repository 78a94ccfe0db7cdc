import FoundationEssentials
import Protocol

/// One line of `gsm8k_30.jsonl` / `mmlu_20.jsonl`: a prompt with K questions and their answers.
public struct LongGenBenchRecord: Sendable, Equatable {
    public var prompt: String
    public var answers: [String]

    /// Every line of a JSONL file; errors name the file, the line and the field.
    public static func load(file: String) throws -> [LongGenBenchRecord] {
        try JSONValue.parseLines(file: file).map { line, value in
            let r = RecordReader(file: file, location: "line \(line)", value: value)
            _ = try r.strings("questions")
            return LongGenBenchRecord(prompt: try r.string("prompt"), answers: try r.strings("answers"))
        }
    }
}

/// LongGenBench as ACBench runs it through SCOPE (spec §5): GSM8K-30 or MMLU-20 prompts under
/// the reference system prompt, one long generation per prompt, positional answer matching.
///
/// Task fields: `subset` is `gsm8k` (default) or `mmlu`; `data` the JSONL file (default
/// `longgenbench/gsm8k_30.jsonl` or `longgenbench/mmlu_20.jsonl`); `limit` keeps the first lines.
/// Params: `chat` (`plain`: `sys + "\n\n" + p`, the reference's fallback; `llama2`, `llama-3`,
/// `qwen`, `megrez`, `internlm`), `variant = "generated"`.
public struct LongGenBenchSuite: SingleTurnSuite {
    public init() {}

    static let gsm8kSystem = "Answer each question step by step, adhering to the format shown in the examples provided. Start each response with 'Answer_' and introduce the final response with 'The answer is'. Do not repeat the question. Ensure that you respond to all the questions presented, regardless of their number."
    /// The MMLU system prompt, whose subject name the reference appends too late (so it is missing).
    static let mmluSystem = gsm8kSystem + " The following are multiple choice questions (with answers) about "

    public func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt] {
        let subset = task.subset ?? "gsm8k"
        guard subset == "gsm8k" || subset == "mmlu" else {
            throw SuiteError.badData("longgenbench: subset '\(subset)': expected gsm8k or mmlu")
        }
        let chat = task.params["chat"]?.stringValue ?? "plain"
        guard ["plain", "llama2", "llama-3", "qwen", "megrez", "internlm"].contains(chat) else {
            throw SuiteError.badData("longgenbench: param chat = '\(chat)': expected plain, llama2, llama-3, qwen, megrez or internlm")
        }
        var records: [LongGenBenchRecord]
        if task.params["variant"]?.stringValue == "generated" {
            records = try LongGenBenchGenerated.records(subset: subset, count: task.limit ?? 1)
        } else {
            let rel = task.data ?? "longgenbench/\(subset == "gsm8k" ? "gsm8k_30" : "mmlu_20").jsonl"
            let file = rel.hasPrefix("/") ? rel : context.dataRoot + "/" + rel
            guard FileManager.default.fileExists(atPath: file) else {
                throw SuiteError.dataMissing("run acbench data fetch longgenbench (no \(file))")
            }
            records = try LongGenBenchRecord.load(file: file)
        }
        if let limit = task.limit { records = Array(records.prefix(max(0, limit))) }
        let system = subset == "gsm8k" ? Self.gsm8kSystem : Self.mmluSystem
        let range = Self.shardRange(count: records.count, shard: shard, shardCount: shardCount)
        return range.enumerated().map { offset, line in
            EvalPrompt(sampleId: "\(subset)-\(line)", index: offset,
                       body: .completion(Self.wrap(records[line].prompt, system: system, chat: chat)),
                       maxTokens: task.maxTokens(reference: subset == "gsm8k" ? 4096 : 7950),
                       meta: ["subset": subset, "answers": JSONValue.array(records[line].answers.map { .string($0) }).serialized])
        }
    }

    /// The reference's model-family prompt formats (first matching family wins there).
    static func wrap(_ p: String, system s: String, chat: String) -> String {
        switch chat {
        case "llama2": return "[INST] <<SYS>>\n \(s) \n<</SYS>>\n\n\(p) [/INST]"
        case "llama-3": return "<<SYS>>\n \(s) \n<</SYS>>\n\n\(p)"
        case "qwen", "megrez": return "<|im_start|>system\n\(s)<|im_end|>\n<|im_start|>user\n\(p)<|im_end|>\n<|im_start|>assistant\n"
        case "internlm": return "<|System|>: \(s)\n<|User|>: \(p)\n<|Assistant|>: "
        default: return s + "\n\n" + p
        }
    }

    /// Per-prompt accuracy of one generation against the prompt's answers.
    public static func accuracy(subset: String, answers: [String], output: String) -> Double {
        if subset == "mmlu" {
            return LongGenBenchScoring.accuracy(expected: answers, predicted: LongGenBenchScoring.predictedMMLU(output))
        }
        return LongGenBenchScoring.accuracy(expected: answers.map(LongGenBenchScoring.expectedGSM8K),
                                            predicted: LongGenBenchScoring.predictedGSM8K(output))
    }

    public func score(prompt: EvalPrompt, output: String) throws -> SampleResult {
        let subset = prompt.meta["subset"] ?? "gsm8k"
        guard let answers = prompt.meta["answers"].flatMap({ try? JSONValue.parse($0).arrayValue }) else {
            throw SuiteError.scorer("longgenbench sample \(prompt.sampleId): meta 'answers' is not a JSON list")
        }
        let acc = Self.accuracy(subset: subset, answers: answers.compactMap(\.stringValue), output: output)
        return SampleResult(sampleId: prompt.sampleId, index: prompt.index, scores: ["accuracy": acc],
                            output: output, meta: ["subset": subset])
    }

    /// `score`: `round(100 · np.mean(per-prompt accuracies), 4)` in prompt order.
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        let accs = results.sorted { $0.index < $1.index }.compactMap { $0.scores["accuracy"] }
        return accs.isEmpty ? [:] : ["score": LongGenBenchScoring.datasetScore(accs)]
    }
}
