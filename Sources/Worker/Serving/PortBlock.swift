#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A slot's deterministic port block (cluster.md §5 rule 10): `[base + slot*stride, base + (slot+1)*stride)`.
/// The lower half holds HTTP port candidates, the upper half starts `VLLM_PORT` (the engine's internal ports).
struct PortBlock: Sendable, Equatable {
    var first: Int
    var size: Int

    init(base: Int, stride: Int, slot: Int) {
        first = base + slot * stride
        size = max(stride, 2)
    }

    /// HTTP ports to try, in order.
    var httpCandidates: [Int] { Array(first ..< first + max(1, size / 2)) }
    /// `VLLM_PORT`: the first internal port the engine may use.
    var internalBase: Int { first + max(1, size / 2) }

    /// True when nothing holds `port` on 127.0.0.1 (checked by binding a TCP socket, like the server will).
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }
}
