#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to the standard streams (safe from any thread).
public enum Terminal {
    public static func out(_ s: String) { write(STDOUT_FILENO, s) }
    public static func err(_ s: String) { write(STDERR_FILENO, s) }
    public static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    public static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    static func write(_ fd: Int32, _ s: String) {
        var bytes = Array(s.utf8)
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if r <= 0 { return }
            done += r
        }
    }
}
