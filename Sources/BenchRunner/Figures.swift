import Foundation  // String(format:)

/// Nearest-rank percentile of `sorted` (ascending), `p` in 0...100.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count - 1, max(0, rank - 1))]
}

/// `x` with `digits` decimals.
func fixed(_ x: Double, _ digits: Int = 1) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : "n/a"
}

/// A plain text table with right-aligned columns after the first.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return c == 0 ? s + pad : pad + s
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
