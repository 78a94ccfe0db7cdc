/// One HTTP request for ``HTTPTransport``.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }

    public var method: Method
    /// Absolute URL, e.g. `http://127.0.0.1:8000/v1/completions`.
    public var url: String
    /// Header lines as name/value pairs, sent in order.
    public var headers: [(name: String, value: String)]
    /// Request body (sent for POST and PUT; ignored for GET).
    public var body: [UInt8]
    /// Limit for the whole transfer once it starts (connect, send, wait, receive); `nil` means none.
    public var timeout: Duration?
    /// Limit for establishing the TCP connection alone; `nil` uses curl's default (300 s).
    public var connectTimeout: Duration?
    /// Whether the response headers are collected into ``HTTPResponse/headers``.
    public var collectHeaders: Bool

    public init(method: Method = .get, url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration? = nil, connectTimeout: Duration? = nil,
                collectHeaders: Bool = false) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
        self.timeout = timeout; self.connectTimeout = connectTimeout; self.collectHeaders = collectHeaders
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.timeout == b.timeout
            && a.connectTimeout == b.connectTimeout && a.collectHeaders == b.collectHeaders
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// The answer to an ``HTTPRequest``: any status the server sent (4xx and 5xx included).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header lines of the final response (name, value), when the request asked for them.
    public var headers: [(name: String, value: String)]?
    public var body: [UInt8]

    /// The first header with this name (case-insensitive), when headers were collected.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers?.first { $0.name.lowercased() == lower }?.value
    }
}

/// Why a transfer produced no HTTP response.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made or broke (refused, reset, DNS, TLS, empty reply); curl's detail.
    case connection(String)
    /// The request's timeout expired; curl's detail.
    case timeout(String)
    /// The transport was shut down before the transfer finished.
    case shutDown

    public var description: String {
        switch self {
        case .connection(let d): return "connection failed: \(d)"
        case .timeout(let d): return "timed out: \(d)"
        case .shutDown: return "HTTP transport was shut down"
        }
    }
}
