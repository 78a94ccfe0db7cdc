import Protocol

/// Raised when the suite is wired without what it cannot work without (a bug, not bad data).
public enum NeedleSuiteError: Error, Equatable, CustomStringConvertible {
    /// Needle measures, trims and places by the served model's tokens.
    case tokenizerRequired

    public var description: String {
        switch self {
        case .tokenizerRequired:
            return "the needle suite needs the served model's tokenizer (SuiteContext.tokenizer is nil)"
        }
    }
}

/// Needle-in-a-Haystack as ACBench runs it (spec §3): a context-length × depth grid of probes,
/// each a haystack trimmed to the length in model tokens with the needle at a sentence break
/// near the depth, scored by ROUGE-1 F × 10 and by the heat map's set recall.
///
/// Task fields: `data` is an optional folder of `.txt` files (default: generated prose), `limit`
/// keeps the first probes of the grid; `params` are those of `NeedleConfig`.
public struct NeedleSuite: SingleTurnSuite {
    /// The completion prompt the reference sends to every open model (no chat template).
    public static func promptText(context: String, question: String) -> String {
        "<|im_start|> This is a very long story book: <book> \(context) </book>.\n Based on the content of the book, Question: \(question)\nAnswer:"
    }
    /// `max_tokens` of the reference's sampling parameters.
    public static let maxTokens = 30
    /// Score names of a sample result: ROUGE-1 F on the reference's 0–10 scale, and set recall (0–1).
    public static let rougeKey = "rouge1_f", setRecallKey = "set_recall"

    public init() {}

    public func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt] {
        let config = try NeedleConfig(params: task.params)
        var grid: [(length: Int, depth: Double)] = []
        for length in config.contextLengths { for depth in config.depths { grid.append((length, depth)) } }
        if let limit = task.limit { grid = Array(grid.prefix(max(0, limit))) }
        let range = Self.shardRange(count: grid.count, shard: shard, shardCount: shardCount)
        guard !range.isEmpty else { return [] }
        guard let tokenizer = context.tokenizer else { throw NeedleSuiteError.tokenizerRequired }

        let folder = task.data.map { $0.hasPrefix("/") ? $0 : context.dataRoot + "/" + $0 }
        let maxLength = config.contextLengths.max() ?? 0
        let documents = try NeedleHaystack.documents(
            folder: folder, generator: HaystackGenerator(seed: config.seed), maxLength: maxLength)
        let haystack = try await NeedleHaystack.assemble(documents, maxLength: maxLength, tokenizer: tokenizer)
        let needleTokens = try await tokenizer.encode(config.needle)
        let periods: [Int]
        if let configured = config.periodTokens { periods = configured } else { periods = try await tokenizer.encode(".") }

        var trimmed: [Int: [Int]] = [:]
        var out: [EvalPrompt] = []
        for (index, probe) in grid[range].enumerated() {
            if trimmed[probe.length] == nil {
                trimmed[probe.length] = try await trimmedTokens(haystack, probe.length, tokenizer)
            }
            let placement = NeedleInsertion.place(
                context: trimmed[probe.length]!, needle: needleTokens, length: probe.length,
                buffer: config.buffer, depth: probe.depth, periodTokens: periods)
            let text = try await tokenizer.decode(placement.tokens)
            out.append(EvalPrompt(
                sampleId: NeedleConfig.sampleId(length: probe.length, depth: probe.depth), index: index,
                body: .completion(Self.promptText(context: text, question: config.question)),
                maxTokens: Self.maxTokens,
                meta: [
                    "context_length": String(probe.length),
                    "depth_percent": NeedleConfig.depthLabel(probe.depth),
                    "needle": config.needle, "answer": config.answer,
                    "insertion_point": String(placement.insertionPoint),
                    "context_tokens": String(placement.contextTokens),
                ]))
        }
        return out
    }

    /// `encode_and_trim` followed by the re-encoding `insert_needle` starts from.
    private func trimmedTokens(_ haystack: NeedleHaystack, _ length: Int, _ tokenizer: any TextTokenizer) async throws -> [Int] {
        // Untrimmed, the context is the haystack text itself, whose encoding is already known.
        guard haystack.tokens.count > length else { return haystack.tokens }
        let text = try await tokenizer.decode(Array(haystack.tokens[..<length]))
        return try await tokenizer.encode(text)
    }

    public func score(prompt: EvalPrompt, output: String) throws -> SampleResult {
        let response = output.pyStripped()
        let needle = prompt.meta["needle"] ?? NeedleConfig.defaultNeedle
        let answer = prompt.meta["answer"] ?? NeedleConfig.defaultAnswer
        var meta: [String: String] = [:]
        for key in ["context_length", "depth_percent"] { meta[key] = prompt.meta[key] }
        return SampleResult(
            sampleId: prompt.sampleId, index: prompt.index,
            scores: [
                Self.rougeKey: NeedleScoring.rouge1FTimes10(needle: needle, response: response),
                Self.setRecallKey: try NeedleScoring.setRecall(answer: answer, response: response),
            ],
            output: response, meta: meta)
    }

    /// Means of both scores over all probes (`set_recall` is the reference's "Overall score") and
    /// per-cell means keyed `{score}/len{L}/depth{D}` for the heat map. Probes are taken in grid
    /// order (length, then depth); the reference's order is its file system's.
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        let ordered = results.sorted { a, b in
            let ka = Self.cell(a), kb = Self.cell(b)
            if ka.length != kb.length { return ka.length < kb.length }
            if ka.depth != kb.depth { return ka.depth < kb.depth }
            return (a.sampleId, a.index) < (b.sampleId, b.index)
        }
        var out: [String: Double] = [:]
        for key in [Self.rougeKey, Self.setRecallKey] {
            let values = ordered.compactMap { $0.scores[key] }
            if !values.isEmpty { out[key] = NumPyReduce.mean(values) }
            var cells: [String: [Double]] = [:]
            for r in ordered {
                guard let v = r.scores[key], let l = r.meta["context_length"], let d = r.meta["depth_percent"] else { continue }
                cells["\(key)/len\(l)/depth\(d)", default: []].append(v)
            }
            for (cell, values) in cells { out[cell] = NumPyReduce.kahanMean(values) }
        }
        return out
    }

    /// (length, depth) of a result from its meta; results without them sort last.
    private static func cell(_ r: SampleResult) -> (length: Int, depth: Double) {
        (r.meta["context_length"].flatMap { Int($0) } ?? .max, r.meta["depth_percent"].flatMap { Double($0) } ?? .infinity)
    }
}
