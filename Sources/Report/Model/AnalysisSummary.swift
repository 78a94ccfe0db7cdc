import Coordinator

/// The `analysis` rows arranged for tables and plots.
public struct AnalysisSummary: Sendable {
    public struct Pair: Sendable, Hashable { public var model: String; public var method: String }

    public let rows: [AnalysisRow]
    /// (model, method) pairs in stored order.
    public let pairs: [Pair]
    /// The k values of the correlation rows, ascending.
    public let ks: [Int]

    public init(rows: [AnalysisRow]) {
        self.rows = rows
        var pairs: [Pair] = []
        for r in rows where !pairs.contains(Pair(model: r.model, method: r.method)) { pairs.append(Pair(model: r.model, method: r.method)) }
        self.pairs = pairs
        ks = Set(rows.filter { $0.k > 0 }.map(\.k)).sorted()
    }

    func values(_ p: Pair, _ metric: String, k: Int = 0) -> [AnalysisRow] {
        rows.filter { $0.model == p.model && $0.method == p.method && $0.metric == metric && $0.k == k }
    }

    public func erank(_ p: Pair) -> Double? { values(p, "erank").first?.value }

    /// Mean over positions, skipping NaN (positions where the reference gives NaN).
    public func meanCorrelation(_ p: Pair, _ metric: String, k: Int) -> Double? { Self.mean(values(p, metric, k: k).map(\.value)) }

    public func meanEnergy(_ p: Pair) -> Double? { Self.mean(values(p, "energy").map(\.value)) }

    /// Energy per position, ascending position.
    public func energy(_ p: Pair) -> [(position: Int, value: Double)] {
        values(p, "energy").sorted { $0.position < $1.position }.map { ($0.position, $0.value) }
    }

    static func mean(_ v: [Double]) -> Double? {
        let finite = v.filter { $0.isFinite }
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }
}
