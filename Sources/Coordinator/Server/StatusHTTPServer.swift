#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// A tiny HTTP/1.1 responder on its own OS thread for the coordinator's status: `GET /` (an HTML
/// page that refreshes itself), `GET /status` (the `acbench status` matrix as text) and
/// `GET /metrics` (Prometheus). It only reads the `StatusBoard`; one request per connection.
public final class StatusHTTPServer: @unchecked Sendable {
    let board: StatusBoard
    let stopping = Locked(false)
    let listener: Int32
    /// The port actually bound (differs from the requested one when that was 0).
    public let port: Int

    /// Binds `host:port` (`*` or `0.0.0.0`: every interface) and starts serving.
    public init(board: StatusBoard, host: String, port: Int) throws {
        self.board = board
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var res: UnsafeMutablePointer<addrinfo>?
        let wildcard = host == "*" || host == "0.0.0.0"
        let rc = getaddrinfo(wildcard ? nil : host, String(port), &hints, &res)
        guard rc == 0, let info = res else {
            throw CoordinatorError.config("status_port: cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(res) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw CoordinatorError.config("status_port: socket() failed: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, 16) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw CoordinatorError.config("status_port: cannot listen on \(host):\(port): \(message)")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        listener = fd
        self.port = Self.boundPort(fd) ?? port
        startOSThread(name: "acbench-status") { [self] in serve() }
    }

    /// Stops accepting (within ~200 ms) and closes the socket.
    public func stop() { stopping.withLock { $0 = true } }

    func serve() {
        defer { close(listener) }
        while !stopping.withLock({ $0 }) {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            respond(client)
            close(client)
        }
    }

    /// Reads the request head (up to 8 KiB) and answers it.
    func respond(_ fd: Int32) {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while head.count < 8192 {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            head += buffer[0..<n]
            if head.count >= 4 && String(decoding: head, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let line = String(decoding: head, as: UTF8.self).split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = line.split(separator: " ")
        let response = Self.answer(method: parts.first.map(String.init) ?? "", target: parts.count > 1 ? String(parts[1]) : "",
                                   page: board.current)
        var bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard n > 0 else { return }
            sent += n
        }
    }

    /// The full HTTP response to a request line.
    static func answer(method: String, target: String, page: StatusPage) -> String {
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        guard method == "GET" || method == "HEAD" else {
            return response(405, "Method Not Allowed", "text/plain", "only GET\n", extra: "Allow: GET, HEAD\r\n", head: false)
        }
        let head = method == "HEAD"
        switch path {
        case "/": return response(200, "OK", "text/html; charset=utf-8", html(page.text), head: head)
        case "/status": return response(200, "OK", "text/plain; charset=utf-8", page.text, head: head)
        case "/metrics": return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", page.metrics, head: head)
        default: return response(404, "Not Found", "text/plain", "not found: try /, /status or /metrics\n", head: head)
        }
    }

    static func response(_ code: Int, _ reason: String, _ type: String, _ body: String, extra: String = "", head: Bool) -> String {
        "HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\(extra)\r\n" + (head ? "" : body)
    }

    static func html(_ text: String) -> String {
        var escaped = ""
        for ch in text {
            switch ch {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(ch)
            }
        }
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"5\">"
            + "<title>acbench status</title></head><body><pre>\(escaped)</pre>"
            + "<p><a href=\"/metrics\">metrics</a></p></body></html>\n"
    }

    static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default: return nil
        }
    }
}
