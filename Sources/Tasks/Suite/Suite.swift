import Protocol

/// One message of a chat conversation (OpenAI chat-completions shape).
public struct ChatMessage: Sendable, Codable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) { self.role = role; self.content = content }
}

/// A request to the model, built by a suite exactly as the original benchmark builds it.
public enum PromptBody: Sendable, Equatable {
    /// Raw text sent to `/v1/completions` (no chat template applied by the server).
    case completion(String)
    /// Messages sent to `/v1/chat/completions` (the server applies the model's chat template).
    case chat([ChatMessage])
}

/// One prompt of a single-turn suite, with the stable id it is stored under.
public struct EvalPrompt: Sendable, Equatable {
    /// Stable id derived from the task's data (e.g. `needle-len4000-depth50`).
    public var sampleId: String
    /// Position within the unit (0-based); resume skips indices already stored.
    public var index: Int
    public var body: PromptBody
    /// Generation length for this prompt (suites such as LongBench set it per dataset).
    public var maxTokens: Int
    public var stop: [String]
    /// What the scorer needs besides the output (gold answer, needle, depth...) and what the report shows.
    public var meta: [String: String]

    public init(sampleId: String, index: Int, body: PromptBody, maxTokens: Int, stop: [String] = [], meta: [String: String] = [:]) {
        self.sampleId = sampleId; self.index = index; self.body = body; self.maxTokens = maxTokens
        self.stop = stop; self.meta = meta
    }
}

/// Turns text into the served model's token ids and back (the worker backs it with the server's
/// `/tokenize` endpoint, or Kernels' tokenizer offline).
public protocol TextTokenizer: Sendable {
    /// Token ids of `text`; with `addSpecialTokens` the tokenizer's own BOS/EOS (Hugging Face's
    /// `tokenizer(text)`), without them its `add_special_tokens=False`.
    func encode(_ text: String, addSpecialTokens: Bool) async throws -> [Int]
    /// Text of `ids`, special tokens included (`skip_special_tokens=False`).
    func decode(_ ids: [Int]) async throws -> String
}

extension TextTokenizer {
    /// Token ids of `text` without special tokens.
    public func encode(_ text: String) async throws -> [Int] { try await encode(text, addSpecialTokens: false) }
}

/// What a suite may use while building prompts.
public struct SuiteContext: Sendable {
    /// Folder the task's relative data paths are resolved against.
    public var dataRoot: String
    /// The served model's tokenizer, when the suite measures or truncates by tokens.
    public var tokenizer: (any TextTokenizer)?

    public init(dataRoot: String, tokenizer: (any TextTokenizer)? = nil) {
        self.dataRoot = dataRoot; self.tokenizer = tokenizer
    }
}

/// Errors a suite raises; the worker maps them to failure classes.
public enum SuiteError: Error, Equatable, CustomStringConvertible {
    /// The task's data is not where the sweep says (→ `data_missing`).
    case dataMissing(String)
    /// A data file exists but has the wrong shape (→ `data_missing`, with file and line).
    case badData(String)
    /// The scorer failed on an output (→ `scorer_error`).
    case scorer(String)

    public var description: String {
        switch self {
        case .dataMissing(let s): return "data missing: \(s)"
        case .badData(let s): return "bad data: \(s)"
        case .scorer(let s): return "scorer error: \(s)"
        }
    }
}

/// A benchmark whose samples are independent prompts (WorfBench, T-Eval, LongBench, LongGenBench, Needle).
public protocol SingleTurnSuite: Sendable {
    /// Every prompt of one shard of the task, in a stable order with stable ids.
    func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt]
    /// Scores one output exactly as the reference evaluator does.
    func score(prompt: EvalPrompt, output: String) throws -> SampleResult
    /// The task-level figures (reference aggregation) from its sample results.
    func aggregate(_ results: [SampleResult]) -> [String: Double]
}

extension SingleTurnSuite {
    /// Contiguous slice `shard` of `count` items split into `shardCount` near-equal parts.
    public static func shardRange(count: Int, shard: Int, shardCount: Int) -> Range<Int> {
        let n = max(1, shardCount)
        let lo = count * shard / n, hi = count * (shard + 1) / n
        return lo..<hi
    }
}
