import Protocol
import Tasks

// JSON bodies of the OpenAI-compatible routes (serving.md §11). Decoders ignore unknown keys.

/// A JSON object key known only at run time.
struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Body of `POST /v1/completions` or `POST /v1/chat/completions`.
struct GenerationRequestBody: Encodable {
    enum Input { case prompt(String), messages([ChatMessage]) }
    var model: String
    var input: Input
    var parameters: GenerationParameters

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: WireKey.self)
        let extra = parameters.extraBody
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            guard let value, extra[key] == nil else { return }
            try c.encode(value, forKey: WireKey(key))
        }
        try put("model", model)
        switch input {
        case .prompt(let p): try put("prompt", p)
        case .messages(let m): try put("messages", m)
        }
        try put("max_tokens", parameters.maxTokens)
        try put("temperature", parameters.temperature)
        try put("top_p", parameters.topP)
        try put("seed", parameters.seed)
        try put("stop", parameters.stop.isEmpty ? nil : parameters.stop)
        if let k = parameters.logprobs {
            switch input {
            case .prompt: try put("logprobs", k)
            case .messages: try put("logprobs", true); try put("top_logprobs", k)
            }
        }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { try c.encode(value, forKey: WireKey(key)) }
    }
}

struct GenerationResponseBody: Decodable {
    struct Message: Decodable { var content: String?; var reasoning: String?; var reasoning_content: String? }
    struct ChatTop: Decodable { var token: String; var logprob: Double; var bytes: [UInt8]? }
    struct ChatEntry: Decodable { var token: String; var logprob: Double?; var bytes: [UInt8]?; var top_logprobs: [ChatTop]? }
    struct Logprobs: Decodable {
        // completions: four parallel lists
        var tokens: [String]?
        var token_logprobs: [Double?]?
        var text_offset: [Int]?
        var top_logprobs: [[String: Double]?]?
        // chat
        var content: [ChatEntry]?
    }
    struct Choice: Decodable {
        var text: String?
        var message: Message?
        var finish_reason: String?
        var stop_reason: WireStopReason?
        var logprobs: Logprobs?
    }
    struct Usage: Decodable { var prompt_tokens: Int?; var completion_tokens: Int?; var total_tokens: Int? }

    var model: String?
    var system_fingerprint: String?
    var choices: [Choice]
    var usage: Usage?

    /// The first choice as a ``Completion``; nil when the server returned no choice.
    func completion() -> Completion? {
        guard let choice = choices.first else { return nil }
        return Completion(
            text: choice.text ?? choice.message?.content ?? "",
            reasoning: choice.message.flatMap { $0.reasoning ?? $0.reasoning_content },
            finishReason: choice.finish_reason,
            stopReason: choice.stop_reason?.value,
            usage: usage.map {
                TokenUsage(promptTokens: $0.prompt_tokens ?? 0, completionTokens: $0.completion_tokens ?? 0,
                           totalTokens: $0.total_tokens ?? (($0.prompt_tokens ?? 0) + ($0.completion_tokens ?? 0)))
            },
            logprobs: choice.logprobs.map(Self.tokenLogprobs),
            model: model,
            systemFingerprint: system_fingerprint)
    }

    private static func tokenLogprobs(_ l: Logprobs) -> [TokenLogprob] {
        if let content = l.content {
            return content.map { e in
                TokenLogprob(token: e.token, logprob: e.logprob, bytes: e.bytes,
                             top: (e.top_logprobs ?? []).map { TopLogprob(token: $0.token, logprob: $0.logprob) })
            }
        }
        let tokens = l.tokens ?? []
        return tokens.indices.map { i in
            let top = (l.top_logprobs?[safe: i] ?? nil) ?? [:]
            return TokenLogprob(
                token: tokens[i],
                logprob: l.token_logprobs?[safe: i] ?? nil,
                textOffset: l.text_offset?[safe: i],
                top: top.map { TopLogprob(token: $0.key, logprob: $0.value) }
                    .sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.token < $1.token })
        }
    }
}

/// `stop_reason`: a string, a token id, or null.
struct WireStopReason: Decodable {
    var value: StopReason?
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = nil }
        else if let i = try? c.decode(Int.self) { value = .tokenID(i) }
        else { value = .string(try c.decode(String.self)) }
    }
}

struct ModelListBody: Decodable {
    struct Entry: Decodable { var id: String; var owned_by: String?; var root: String?; var max_model_len: Int? }
    var data: [Entry]
}

struct TokenizeRequestBody: Encodable { var model: String; var prompt: String; var add_special_tokens: Bool }
struct TokenizeResponseBody: Decodable { var tokens: [Int] }
struct DetokenizeRequestBody: Encodable { var model: String; var tokens: [Int] }
struct DetokenizeResponseBody: Decodable { var prompt: String }

/// Error bodies: vLLM/OpenAI `{"error":{"message":…}}`, `{"error":"…"}`, or the web framework's
/// `{"detail":"…"}` / `{"detail":[…]}`.
struct ErrorBody: Decodable {
    struct Inner: Decodable { var message: String? }
    enum ErrorField: Decodable {
        case object(Inner), text(String)
        init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) { self = .text(s) }
            else { self = .object(try Inner(from: decoder)) }
        }
    }
    var error: ErrorField?
    var detail: String?
    var message: String?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WireKey.self)
        error = try? c.decodeIfPresent(ErrorField.self, forKey: WireKey("error"))
        detail = try? c.decodeIfPresent(String.self, forKey: WireKey("detail"))
        message = try? c.decodeIfPresent(String.self, forKey: WireKey("message"))
    }

    var text: String? {
        switch error {
        case .object(let inner)?: if let m = inner.message { return m }
        case .text(let s)?: return s
        case nil: break
        }
        return detail ?? message
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
