import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that appends timestamped lines to a log file and, optionally, to stderr.
public struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        let fd: Int32
        let echo: Bool
        let lock = Locked(())
        init(path: String?, echo: Bool) {
            if let path {
                try? Files.makeDirectories(Files.directory(of: path))
                fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            } else { fd = -1 }
            self.echo = echo
        }
        func write(_ line: String) {
            lock.withLock { _ in
                if fd >= 0 { var b = Array(line.utf8); _ = Glibc.write(fd, &b, b.count) }
                if echo { Terminal.err(line) }
            }
        }
    }

    let label: String
    let sink: Sink
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    /// Sends every logger of the process to `path` (nil: none) and, with `echo`, to stderr.
    public static func bootstrap(path: String?, level: Logger.Level, echo: Bool) {
        let sink = Sink(path: path, echo: echo)
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink, logLevel: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var tm = tm()
        var secs = ts.tv_sec
        gmtime_r(&secs, &tm)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let stamp = "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec))Z"
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\n")
    }
}
