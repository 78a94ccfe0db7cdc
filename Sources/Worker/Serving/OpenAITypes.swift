import Protocol

/// Sampling settings of one request. Every standard field is always written (vLLM takes omitted
/// ones from the model folder's `generation_config.json`, serving.md §11.8).
public struct GenerationParameters: Sendable, Equatable {
    /// `max_tokens`; always sent (the server defaults differ between routes).
    public var maxTokens: Int
    /// 0 is greedy. Sent even at its default (an omitted temperature means sampling at 1.0).
    public var temperature: Double
    public var topP: Double
    /// Sent only when set; needed for reproducible sampling at temperature > 0.
    public var seed: Int?
    /// Stop strings; sent only when not empty.
    public var stop: [String]
    /// Number of alternatives per generated token to return with its logprob; `nil` asks for none.
    /// 0 returns only the sampled token's logprob. Completions send `logprobs: k`; chat sends
    /// `logprobs: true, top_logprobs: k`. vLLM caps k at 20 by default (a 400 above).
    public var logprobs: Int?
    /// Further body fields (vLLM extensions such as `top_k`, `ignore_eos`, `add_special_tokens`,
    /// `min_tokens`); a key here replaces the standard field of the same name. Hosted OpenAI APIs
    /// reject unknown fields, so leave it empty for them.
    public var extraBody: [String: ParamValue]

    public init(maxTokens: Int, temperature: Double = 0, topP: Double = 1, seed: Int? = nil,
                stop: [String] = [], logprobs: Int? = nil, extraBody: [String: ParamValue] = [:]) {
        self.maxTokens = maxTokens; self.temperature = temperature; self.topP = topP; self.seed = seed
        self.stop = stop; self.logprobs = logprobs; self.extraBody = extraBody
    }
}

/// What the server matched to stop: a stop string or a stop token id (vLLM's `stop_reason`).
public enum StopReason: Sendable, Equatable {
    case string(String)
    case tokenID(Int)
}

/// Token counts the server reports.
public struct TokenUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int) {
        self.promptTokens = promptTokens; self.completionTokens = completionTokens; self.totalTokens = totalTokens
    }
}

/// One alternative token and its logprob.
public struct TopLogprob: Sendable, Equatable {
    public var token: String
    public var logprob: Double
    public init(token: String, logprob: Double) { self.token = token; self.logprob = logprob }
}

/// One position's logprob record, in one shape for both routes.
public struct TokenLogprob: Sendable, Equatable {
    public var token: String
    /// `nil` where the server sends null (the first prompt token under `echo`).
    public var logprob: Double?
    /// The token's UTF-8 bytes (chat route only; partial characters come back empty, §11.4).
    public var bytes: [UInt8]?
    /// Character offset into the text (completions route only).
    public var textOffset: Int?
    /// Alternatives, most likely first. Completions return them as a map keyed by token text, so
    /// two alternatives with the same text collapse into one there.
    public var top: [TopLogprob]

    public init(token: String, logprob: Double?, bytes: [UInt8]? = nil, textOffset: Int? = nil, top: [TopLogprob] = []) {
        self.token = token; self.logprob = logprob; self.bytes = bytes; self.textOffset = textOffset; self.top = top
    }
}

/// The first choice of a completion or chat completion.
public struct Completion: Sendable, Equatable {
    /// Generated text (chat: the message content; empty when the server sent null).
    public var text: String
    /// Chat only: the separate reasoning text some servers return.
    public var reasoning: String?
    /// `"stop"` (EOS, stop string or id) or `"length"`; other servers may send others.
    public var finishReason: String?
    public var stopReason: StopReason?
    public var usage: TokenUsage?
    /// Present when the request asked for logprobs.
    public var logprobs: [TokenLogprob]?
    /// The model name the server reports.
    public var model: String?
    /// vLLM's `system_fingerprint` (`vllm-<version>-<hash>`), for provenance.
    public var systemFingerprint: String?
}

/// One entry of `GET /v1/models`.
public struct ModelInfo: Sendable, Equatable {
    public var id: String
    public var ownedBy: String?
    /// vLLM: the folder the model was loaded from.
    public var root: String?
    /// vLLM: the effective context length.
    public var maxModelLen: Int?
}
