/// A table of strings rendered as Markdown or as aligned plain text (the terminal).
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) { self.header = header; self.rows = rows }

    /// A GitHub-flavoured Markdown table (`|` in cells escaped).
    public var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingAll("|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return line(header) + "|" + header.map { _ in "---|" }.joined() + "\n" + rows.map(line).joined()
    }

    /// Columns padded to their widest cell, a rule under the header.
    public var plain: String {
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "   ")
                .trimmingTrailingSpaces() + "\n"
        }
        return line(header) + widths.map { String(repeating: "─", count: $0) }.joined(separator: "   ") + "\n"
            + rows.map(line).joined()
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }

    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Number formatting shared by every renderer.
enum Fmt {
    /// Three decimals (`0.812`), trailing zeros kept for alignment.
    static func score(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        let scaled = (abs(v) * 1000).rounded()
        let int = Int(scaled) / 1000, frac = Int(scaled) % 1000
        let f = String(frac)
        return (v < 0 && scaled > 0 ? "-" : "") + "\(int)." + String(repeating: "0", count: 3 - f.count) + f
    }

    /// A signed percentage with one decimal (`+1.5%`, `−4.1%`).
    static func change(_ v: Double) -> String {
        let scaled = (abs(v) * 10).rounded()
        let s = "\(Int(scaled) / 10).\(Int(scaled) % 10)%"
        return scaled == 0 ? "±" + s : (v > 0 ? "+" : "−") + s
    }
}
