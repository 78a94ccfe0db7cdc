#if canImport(Glibc)
import Glibc
#endif

/// The server's log file as seen by one launch: what was there before is not this launch's output.
struct ServerLog: Sendable {
    let path: String
    /// Size of the file before this launch wrote to it.
    let startOffset: Int

    init(path: String) {
        self.path = path
        var info = stat()
        startOffset = stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Appends a line written by acbench (not by the server).
    func append(_ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// What this launch wrote, at most the last 256 KB.
    func sinceStart() -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        let end = Int(lseek(fd, 0, SEEK_END))
        let from = max(startOffset, end - 262_144)
        guard end > from, lseek(fd, off_t(from), SEEK_SET) >= 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: end - from)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return String(decoding: bytes.prefix(max(0, n)), as: UTF8.self)
    }

    /// The last `lines` lines of `text`, at most `bytes` bytes.
    static func excerpt(_ text: String, lines: Int = 40, bytes: Int = 8192) -> String {
        var tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1).joined(separator: "\n")
        while tail.last == "\n" { tail.removeLast() }
        return String(decoding: Array(tail.utf8).suffix(bytes), as: UTF8.self)
    }
}
