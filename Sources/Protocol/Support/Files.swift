#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX file helpers (FoundationEssentials has no FileHandle or directory walker).
public enum Files {
    public enum Kind { case file, directory }

    /// What is at `path`, or nil when nothing is.
    public static func kind(_ path: String) -> Kind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    public static func exists(_ path: String) -> Bool { kind(path) != nil }

    /// Size in bytes of a file.
    public static func size(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// Reads `count` bytes at `offset` (fewer at the end of the file); nil when the file cannot be read.
    public static func read(_ path: String, offset: Int64 = 0, count: Int? = nil) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Read until EOF (or `count` bytes): files under /proc report a size of 0.
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while count.map({ out.count < $0 }) ?? true {
            let want = min(chunk.count, (count ?? Int.max) - out.count)
            let r = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(offset) + off_t(out.count)) }
            if r < 0 { return nil }
            if r == 0 { break }
            out += chunk.prefix(r)
        }
        return out
    }

    /// Reads a whole file as UTF-8 text.
    public static func readText(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }

    /// Relative paths of the regular files under `root` (recursive, sorted, hidden entries skipped).
    public static func listRecursive(_ root: String) -> [String] {
        var out: [String] = []
        func walk(_ rel: String) {
            guard let dir = opendir(rel.isEmpty ? root : root + "/" + rel) else { return }
            defer { closedir(dir) }
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let child = rel.isEmpty ? name : rel + "/" + name
                switch kind(root + "/" + child) {
                case .directory: walk(child)
                case .file: out.append(child)
                case nil: break
                }
            }
        }
        walk("")
        return out.sorted()
    }

    /// Creates `path` and its parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw FileError(path: current, detail: String(cString: strerror(errno)))
            }
        }
    }

    /// Writes `bytes` atomically: a temporary file in the same folder, fsync, rename.
    public static func writeAtomic(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let tmp = path + ".tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileError(path: tmp, detail: String(cString: strerror(errno))) }
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if r <= 0 { close(fd); throw FileError(path: tmp, detail: String(cString: strerror(errno))) }
            done += r
        }
        fsync(fd)
        close(fd)
        guard rename(tmp, path) == 0 else { throw FileError(path: path, detail: String(cString: strerror(errno))) }
    }

    /// The folder part of a path (`.` when there is none).
    public static func directory(of path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return i == path.startIndex ? "/" : String(path[..<i])
    }

    /// `path` made absolute against the current directory.
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return path }
        let cwd = String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path == "." ? cwd : cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}

/// A file operation failed: the path and the system's reason.
public struct FileError: Error, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }
    public init(path: String, detail: String) { self.path = path; self.detail = detail }
}
