/// Why a call to an OpenAI-compatible server failed. Each case's ``description`` says what to check.
public enum OpenAIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection (refused, reset, DNS, TLS, empty reply), after the configured retries.
    case connection(String)
    /// The request's time limit expired.
    case timeout(String)
    /// The server answered with a non-2xx status; `message` is its error message (from
    /// `{"error":{"message":…}}`, `{"detail":…}`, or the raw body).
    case http(status: Int, message: String)
    /// A 2xx answer whose body is not the expected JSON.
    case decoding(String)
    /// The calling task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .connection(let d):
            return "cannot reach the model server: \(d). Check that the server is running and that the base URL (host, port, scheme) is right."
        case .timeout(let d):
            return "the model server did not answer in time: \(d). Raise the request timeout, or lower max_tokens or the number of requests in flight."
        case .http(let status, let message) where status == 401 || status == 403:
            return "the model server refused the credentials (HTTP \(status)): \(message). Check the API key."
        case .http(404, let message):
            return "the model server does not know this model or route (HTTP 404): \(message). Check the model name and the base URL."
        case .http(let status, let message) where (400..<500).contains(status):
            return "the model server rejected the request (HTTP \(status)): \(message). The request is wrong for this server: check the parameters and the prompt length."
        case .http(let status, let message):
            return "the model server failed (HTTP \(status)): \(message). The server may have crashed or be overloaded; check its log."
        case .decoding(let d):
            return "unexpected answer from the model server: \(d). Check that the base URL points at an OpenAI-compatible server."
        case .cancelled:
            return "the request was cancelled"
        }
    }

    /// Whether trying the same request again can help: connection failures, 5xx, and 429
    /// (rate limiting by hosted OpenAI-compatible APIs).
    var isRetryable: Bool {
        switch self {
        case .connection: return true
        case .http(let status, _): return status >= 500 || status == 429
        case .timeout, .decoding, .cancelled: return false
        }
    }

    init(_ error: HTTPTransportError) {
        switch error {
        case .connection(let d): self = .connection(d)
        case .timeout(let d): self = .timeout(d)
        case .shutDown: self = .connection("the client's HTTP transport was shut down")
        }
    }
}
