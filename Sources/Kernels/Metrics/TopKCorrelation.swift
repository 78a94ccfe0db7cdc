/// Top-k ranking agreement of compressed against uncompressed logits (specs/kernels.md §5.2).
public enum TopKCorrelation {
    /// The k values ACBench reports.
    public static let ks = [3, 10, 20]

    /// Kendall tau-b and Spearman rho per position, averaged over sequences.
    public struct PerPosition: Sendable, Equatable {
        public var kendall: [Double]
        public var spearman: [Double]
    }

    /// Indices of the `k` largest values (descending; among equal values the lower index first),
    /// in one pass keeping a sorted list of k (cheap for k ≪ vocabulary).
    public static func topIndices<C: RandomAccessCollection>(_ values: C, k: Int) -> [Int] where C.Element == Float, C.Index == Int {
        guard k > 0 else { return [] }
        let base = values.startIndex
        var kept: [(value: Float, index: Int)] = []
        kept.reserveCapacity(k + 1)
        for i in values.indices {
            let v = values[i]
            if kept.count == k, !(v > kept[k - 1].value) { continue }
            // Insert after every kept value ≥ v: equal values keep their index order.
            var at = kept.count
            while at > 0 && kept[at - 1].value < v { at -= 1 }
            kept.insert((v, i - base), at: at)
            if kept.count > k { kept.removeLast() }
        }
        return kept.map(\.index)
    }

    /// ACBench's `calculate_token_metrics`: logits `[sequences, positions, vocab]` row-major; at each
    /// (sequence, position) the top-k set of the **base** logits; tau-b and rho between base and
    /// compressed values on it; the mean over sequences per position (NaN propagates, as in numpy).
    public static func perPosition(base: [Float], compressed: [Float], sequences: Int, positions: Int, vocab: Int,
                                   k: Int) -> PerPosition {
        precondition(base.count == sequences * positions * vocab && compressed.count == base.count,
                     "TopKCorrelation: shapes do not match [\(sequences), \(positions), \(vocab)]")
        var kendall = [Double](repeating: 0, count: positions), spearman = kendall
        for s in 0..<sequences {
            for t in 0..<positions {
                let lo = (s * positions + t) * vocab
                let idx = topIndices(base[lo ..< lo + vocab], k: k)
                let x = idx.map { Double(base[lo + $0]) }, y = idx.map { Double(compressed[lo + $0]) }
                kendall[t] += RankCorrelation.kendallTauB(x, y)
                spearman[t] += RankCorrelation.spearman(x, y)
            }
        }
        let n = Double(sequences)
        return PerPosition(kendall: kendall.map { $0 / n }, spearman: spearman.map { $0 / n })
    }

    /// ACBench's `calculate_correlations` for one sequence: its `[positions · vocab]` logits flattened,
    /// the top-k set taken from the **compressed** logits (`k == nil`: all values).
    public static func flattened(base: [Float], compressed: [Float], k: Int?) -> (kendall: Double, spearman: Double) {
        precondition(base.count == compressed.count, "TopKCorrelation: \(base.count) and \(compressed.count) values")
        let idx = k.map { topIndices(compressed, k: $0) } ?? Array(base.indices)
        let x = idx.map { Double(compressed[$0]) }, y = idx.map { Double(base[$0]) }
        return (RankCorrelation.kendallTauB(x, y), RankCorrelation.spearman(x, y))
    }
}
