#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// Aggregate CPU time counters from the first line of /proc/stat (Linux), in clock ticks.
struct CPUStat {
    var idle: UInt64
    var total: UInt64

    /// The current counters, or nil where /proc/stat is not readable.
    static func now() -> CPUStat? {
        guard let text = readProcFile("/proc/stat"),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard v.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already inside user/nice).
        let counted = v.prefix(8)
        return CPUStat(idle: v[3] + v[4], total: counted.reduce(0, +))
    }

    /// Percentage of core time idle between `before` and `after` (nil when unknown).
    static func idlePercent(_ before: CPUStat?, _ after: CPUStat?) -> Double? {
        guard let b = before, let a = after, a.total > b.total else { return nil }
        return 100 * Double(a.idle - b.idle) / Double(a.total - b.total)
    }
}

/// Reads a procfs file (its stat size is 0, so `Files.read` sees it as empty).
func readProcFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n <= 0 { return n == 0 ? String(decoding: out, as: UTF8.self) : nil }
        out += buf.prefix(n)
    }
}

/// The number of online processors (what `nproc` prints).
func onlineProcessors() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
