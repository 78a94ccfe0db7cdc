/// The Needle-in-a-Haystack grid of one cell: aggregate keys `{score}/len{L}/depth{D}`
/// (NeedleSuite.aggregate) as context lengths × depths.
public struct NeedleGrid: Sendable, Equatable {
    public var score: String
    public var lengths: [Int]
    /// Depth labels as the keys spell them, ascending by value.
    public var depths: [String]
    public var values: [String: Double]

    /// The grid of `score` in `metrics`, or nil when it has no cells.
    public init?(metrics: [String: Double], score: String = "set_recall") {
        var lengths = Set<Int>(), depths = Set<String>(), values: [String: Double] = [:]
        for (key, v) in metrics where key.hasPrefix(score + "/len") {
            let parts = key.split(separator: "/")
            guard parts.count == 3, let l = Int(parts[1].dropFirst(3)), parts[2].hasPrefix("depth") else { continue }
            let d = String(parts[2].dropFirst(5))
            lengths.insert(l); depths.insert(d); values["\(l)|\(d)"] = v
        }
        guard !values.isEmpty else { return nil }
        self.score = score
        self.lengths = lengths.sorted()
        self.depths = depths.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
        self.values = values
    }

    public func value(length: Int, depth: String) -> Double? { values["\(length)|\(depth)"] }

    /// Whether `key` is one of the grid's per-cell aggregate keys (detail tables leave them to the grid).
    static func isCellKey(_ key: String) -> Bool { key.contains("/len") && key.contains("/depth") }

    /// A text table: lengths down, depths across, values in percent.
    public var table: TextTable {
        TextTable(header: ["tokens \\ depth %"] + depths,
                  rows: lengths.map { l in [String(l)] + depths.map { d in value(length: l, depth: d).map { "\(Int(($0 * 100).rounded()))%" } ?? "—" } })
    }
}
