#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tasks

/// A client for an OpenAI-compatible server (vLLM, or any `external` engine). Many calls may run
/// at once from many tasks; they share one ``HTTPTransport`` and its keep-alive connections.
///
/// Connection failures, 5xx and 429 answers are retried with exponential back-off (full jitter)
/// up to ``Configuration/maxRetries`` times; other 4xx answers and timeouts are not retried.
public final class OpenAIClient: Sendable {
    public struct Configuration: Sendable {
        /// Server root (`http://127.0.0.1:8000`) or its `/v1` base (`https://api.example.com/v1`):
        /// the `/v1/...` routes and the root routes (`/health`, `/tokenize`) are derived from either.
        public var baseURL: String
        /// Model name sent with every request (vLLM: the served model name).
        public var model: String
        /// Sent as `Authorization: Bearer <key>` when set.
        public var apiKey: String?
        /// Limit for one attempt of a generation request, from connect to the last byte.
        public var requestTimeout: Duration
        /// Limit for opening the TCP connection.
        public var connectTimeout: Duration
        /// Retries after the first attempt (0 = none).
        public var maxRetries: Int
        /// Back-off before retry k (0-based) is a random delay up to `min(retryMaxDelay, retryBaseDelay · 2^k)`.
        public var retryBaseDelay: Duration
        public var retryMaxDelay: Duration
        /// Requests on the wire at once; more wait in the transport's queue.
        public var maxInFlight: Int

        public init(baseURL: String, model: String, apiKey: String? = nil,
                    requestTimeout: Duration = .seconds(600), connectTimeout: Duration = .seconds(10),
                    maxRetries: Int = 3, retryBaseDelay: Duration = .milliseconds(250),
                    retryMaxDelay: Duration = .seconds(8), maxInFlight: Int = 256) {
            self.baseURL = baseURL; self.model = model; self.apiKey = apiKey
            self.requestTimeout = requestTimeout; self.connectTimeout = connectTimeout
            self.maxRetries = maxRetries; self.retryBaseDelay = retryBaseDelay; self.retryMaxDelay = retryMaxDelay
            self.maxInFlight = maxInFlight
        }
    }

    public let configuration: Configuration
    private let transport: HTTPTransport
    private let apiBase: String
    private let rootBase: String

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        transport = HTTPTransport(maxInFlight: configuration.maxInFlight)
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") {
            apiBase = base
            rootBase = String(base.dropLast(3))
        } else {
            apiBase = base + "/v1"
            rootBase = base
        }
    }

    /// Shorthand for ``init(_:)`` with default limits.
    public convenience init(baseURL: String, model: String, apiKey: String? = nil) {
        self.init(Configuration(baseURL: baseURL, model: model, apiKey: apiKey))
    }

    /// Stops the transport; pending and later calls fail with ``OpenAIError/connection(_:)``.
    public func shutdown() { transport.shutdown() }

    // MARK: Generation

    /// `POST /v1/completions` with a raw prompt (no chat template).
    public func complete(_ prompt: String, _ parameters: GenerationParameters) async throws(OpenAIError) -> Completion {
        try await generate(route: "/completions",
                           GenerationRequestBody(model: configuration.model, input: .prompt(prompt), parameters: parameters))
    }

    /// `POST /v1/chat/completions`; the server applies the model's chat template.
    public func chat(_ messages: [ChatMessage], _ parameters: GenerationParameters) async throws(OpenAIError) -> Completion {
        try await generate(route: "/chat/completions",
                           GenerationRequestBody(model: configuration.model, input: .messages(messages), parameters: parameters))
    }

    /// Sends either kind of ``PromptBody`` to its route.
    public func generate(_ body: PromptBody, _ parameters: GenerationParameters) async throws(OpenAIError) -> Completion {
        switch body {
        case .completion(let prompt): return try await complete(prompt, parameters)
        case .chat(let messages): return try await chat(messages, parameters)
        }
    }

    private func generate(route: String, _ body: GenerationRequestBody) async throws(OpenAIError) -> Completion {
        let reply: GenerationResponseBody = try await call(.post, apiBase + route, body: body)
        guard let completion = reply.completion() else {
            throw .decoding("POST \(apiBase + route): the answer has no choices")
        }
        return completion
    }

    // MARK: Server information

    /// `GET /v1/models`: the models the server serves.
    public func models() async throws(OpenAIError) -> [ModelInfo] {
        let list: ModelListBody = try await call(.get, apiBase + "/models", body: Optional<String>.none)
        return list.data.map { ModelInfo(id: $0.id, ownedBy: $0.owned_by, root: $0.root, maxModelLen: $0.max_model_len) }
    }

    /// `GET /health`, once, without retries, limited by the connect timeout: returns on 200,
    /// throws otherwise (connection refused while a server starts). For readiness polling.
    public func health() async throws(OpenAIError) {
        let request = makeRequest(.get, rootBase + "/health", body: [], timeout: configuration.connectTimeout)
        _ = try await send(request, retries: 0)
    }

    /// `POST /tokenize` (vLLM): the served tokenizer's ids for `text`.
    public func tokenize(_ text: String, addSpecialTokens: Bool = false) async throws(OpenAIError) -> [Int] {
        let body = TokenizeRequestBody(model: configuration.model, prompt: text, add_special_tokens: addSpecialTokens)
        let reply: TokenizeResponseBody = try await call(.post, rootBase + "/tokenize", body: body)
        return reply.tokens
    }

    /// `POST /detokenize` (vLLM): the text of `ids`.
    public func detokenize(_ ids: [Int]) async throws(OpenAIError) -> String {
        let reply: DetokenizeResponseBody = try await call(.post, rootBase + "/detokenize",
                                                           body: DetokenizeRequestBody(model: configuration.model, tokens: ids))
        return reply.prompt
    }

    // MARK: Plumbing

    private func call<Body: Encodable, Reply: Decodable>(
        _ method: HTTPRequest.Method, _ url: String, body: Body?
    ) async throws(OpenAIError) -> Reply {
        var bytes: [UInt8] = []
        if let body {
            do { bytes = Array(try JSONEncoder().encode(body)) }
            catch { throw .decoding("cannot encode the request for \(url): \(error)") }
        }
        let request = makeRequest(method, url, body: bytes, timeout: configuration.requestTimeout)
        let response = try await send(request, retries: configuration.maxRetries)
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(response.body))
        } catch {
            throw .decoding("\(method.rawValue) \(url) (HTTP \(response.status)): \(error); body starts: \(Self.excerpt(response.body))")
        }
    }

    private func makeRequest(_ method: HTTPRequest.Method, _ url: String, body: [UInt8], timeout: Duration) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if method != .get { headers.append(("Content-Type", "application/json")) }
        if let key = configuration.apiKey, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        return HTTPRequest(method: method, url: url, headers: headers, body: body,
                           timeout: timeout, connectTimeout: configuration.connectTimeout)
    }

    /// One request with the retry policy; returns only 2xx responses.
    private func send(_ request: HTTPRequest, retries: Int) async throws(OpenAIError) -> HTTPResponse {
        var attempt = 0
        while true {
            let failure: OpenAIError
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) { return response }
                failure = .http(status: response.status, message: Self.errorMessage(response))
            } catch let error as HTTPTransportError {
                failure = OpenAIError(error)
            } catch {
                throw .cancelled
            }
            guard failure.isRetryable, attempt < retries else { throw Self.annotated(failure, attempts: attempt + 1) }
            do { try await Task.sleep(for: backoff(attempt)) } catch { throw .cancelled }
            attempt += 1
        }
    }

    private func backoff(_ attempt: Int) -> Duration {
        let cap = min(configuration.retryMaxDelay, configuration.retryBaseDelay * (1 << min(attempt, 30)))
        return cap * Double.random(in: 0.5...1.0)
    }

    private static func annotated(_ error: OpenAIError, attempts: Int) -> OpenAIError {
        guard attempts > 1 else { return error }
        switch error {
        case .connection(let d): return .connection("\(d) (gave up after \(attempts) attempts)")
        default: return error
        }
    }

    /// The server's error message, whatever shape the body has.
    static func errorMessage(_ response: HTTPResponse) -> String {
        if let parsed = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)), let text = parsed.text {
            return text
        }
        return response.body.isEmpty ? "(empty body)" : excerpt(response.body)
    }

    static func excerpt(_ body: [UInt8], limit: Int = 300) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
