import FoundationEssentials
import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for the server's own loopback port: enough for `/health` and
/// `/v1/models` during start-up (the worker's full client lives elsewhere). One request per
/// connection (`Connection: close`), the body read to EOF; chunked bodies are decoded.
public enum LoopbackHTTP {
    public struct Response: Sendable {
        public var status: Int
        public var body: String
    }

    public enum Failure: Error, Sendable {
        /// Nothing listens yet (ECONNREFUSED) — normal while a server starts.
        case refused
        case io(String)
    }

    /// Sends one request to `127.0.0.1:port`. Blocks its thread for at most `timeoutSeconds` per read.
    public static func request(port: Int, method: String = "GET", path: String, json: String? = nil,
                               timeoutSeconds: Int = 5) throws(Failure) -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .io("socket: errno \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { throw errno == ECONNREFUSED ? .refused : .io("connect: errno \(errno)") }

        let body = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nAccept: */*\r\n"
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw .io("send: errno \(errno)") }
            sent += n
        }

        var raw: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 { throw .io(errno == EAGAIN ? "read timed out after \(timeoutSeconds) s" : "recv: errno \(errno)") }
            raw += buffer[0 ..< n]
        }
        return try parse(raw)
    }

    static func parse(_ raw: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.dropLast(3).first(where: { raw[$0 ..< $0 + 4].elementsEqual(separator) }) else {
            throw .io("malformed HTTP response (\(raw.count) bytes, no header end)")
        }
        let header = String(decoding: raw[..<end], as: UTF8.self)
        let statusLine = header.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw .io("malformed status line: \(statusLine)") }
        var body = Array(raw[(end + 4)...])
        if header.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return Response(status: status, body: String(decoding: body, as: UTF8.self))
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [], i = 0
        while i < data.count {
            guard let lineEnd = data[i...].firstIndex(of: 10) else { break }
            let sizeText = String(decoding: data[i ..< lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16), size > 0 else { break }
            let start = lineEnd + 1
            out += data[start ..< min(start + size, data.count)]
            i = start + size + 2
        }
        return out
    }
}

private extension Substring {
    func trimmingSpaces() -> String { String(filter { !$0.isWhitespace }) }
}

extension LoopbackHTTP {
    /// `request` run on its own OS thread: the socket calls block for up to `timeoutSeconds`, and
    /// blocking Swift's cooperative pool (one thread per core) would stall every other task.
    public static func requestOffPool(port: Int, method: String = "GET", path: String, json: String? = nil,
                               timeoutSeconds: Int = 5) async -> Response? {
        await withCheckedContinuation { continuation in
            startOSThread(name: "loopback-http") {
                continuation.resume(returning: try? request(port: port, method: method, path: path, json: json,
                                                            timeoutSeconds: timeoutSeconds))
            }
        }
    }
}
