import Protocol

/// Draws the coordinator's live view on a terminal: one line per worker, an overall bar, the ETA.
/// On a non-terminal it prints a one-line summary every `plainInterval` seconds instead.
public final class ProgressView: @unchecked Sendable {
    let isTTY = Terminal.stdoutIsTTY
    var drawnLines = 0
    var lastPlain = 0.0
    public var plainInterval = 10.0

    public init() {}

    /// Renders `s` (redrawing in place on a terminal).
    public func render(_ s: SweepSnapshot, final: Bool = false) {
        var lines: [String] = []
        let finished = (s.counts[.done] ?? 0) + (s.counts[.failed] ?? 0)
        let frac = s.total > 0 ? Double(finished) / Double(s.total) : 1
        lines.append("\(s.sweep)  \(Self.bar(frac, width: 30)) \(finished)/\(s.total) units  "
                     + "\(s.counts[.running] ?? 0) running  \(s.counts[.failed] ?? 0) failed  \(s.samples) samples  "
                     + "elapsed \(Self.duration(s.elapsed))  ETA \(s.eta.map(Self.duration) ?? "--")")
        for w in s.workers {
            let unit = w.unit.map { u in "\(u) \(w.total > 0 ? "\(w.done)/\(w.total)" : "")" } ?? "—"
            lines.append("  \(w.name.padding(16)) \(w.state.padding(7)) \(unit)\(w.note.isEmpty ? "" : "  \(w.note)")")
        }
        if isTTY {
            var out = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
            for l in lines { out += "\u{1B}[2K" + String(l.prefix(160)) + "\n" }
            for _ in lines.count..<max(lines.count, drawnLines) { out += "\u{1B}[2K\n" }
            drawnLines = max(lines.count, drawnLines)
            Terminal.out(out)
        } else if final || s.elapsed - lastPlain >= plainInterval {
            lastPlain = s.elapsed
            Terminal.out(lines[0] + "\n")
        }
    }

    static func bar(_ f: Double, width: Int) -> String {
        let n = Int((max(0, min(1, f)) * Double(width)).rounded())
        return "[" + String(repeating: "█", count: n) + String(repeating: "·", count: width - n) + "]"
    }

    /// `1h02m`, `3m05s`, `42s`.
    public static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h\(String(format2(t % 3600 / 60)))m" }
        if t >= 60 { return "\(t / 60)m\(String(format2(t % 60)))s" }
        return "\(t)s"
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
