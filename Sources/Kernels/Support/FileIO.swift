#if canImport(Glibc)
import Glibc
#endif

/// The whole content of a file, or nil when it cannot be read.
func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if r < 0 { return nil }
        if r == 0 { return out }
        out += chunk.prefix(r)
    }
}

/// Reads and parses a JSON file; throws a message naming the file.
func readJSONFile(_ path: String) throws -> JSON {
    guard let bytes = readFile(path) else { throw FileReadError(path: path, detail: "cannot read") }
    do { return try JSON.parse(bytes) } catch { throw FileReadError(path: path, detail: "\(error)") }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileReadError(path: path, detail: "cannot create: " + String(cString: strerror(errno))) }
    var written = 0
    while written < bytes.count {
        let r = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
        if r <= 0 { close(fd); unlink(tmp); throw FileReadError(path: path, detail: "write failed") }
        written += r
    }
    close(fd)
    guard rename(tmp, path) == 0 else { unlink(tmp); throw FileReadError(path: path, detail: "rename failed") }
}

public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let detail: String
    public var description: String { "\(path): \(detail)" }
}
