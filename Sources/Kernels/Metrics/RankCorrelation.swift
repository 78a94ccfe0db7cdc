/// Rank correlations as scipy computes them (`kendalltau` tau-b, `spearmanr`), in float64.
/// A constant input gives NaN, as in scipy.
public enum RankCorrelation {
    /// Kendall's tau-b, O(n log n) (Knight's algorithm, scipy's method):
    /// `(P − Q) / sqrt((P + Q + T_x)(P + Q + T_y))`.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "kendallTauB: lengths \(x.count) and \(y.count) differ")
        let n = x.count
        guard n >= 2 else { return .nan }
        // Sort by (x, y); count pairs tied in x and tied in both.
        let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        var ys = order.map { y[$0] }
        let xs = order.map { x[$0] }
        let tiedX = tiedPairs(xs), tiedBoth = tiedPairs(zip(xs, ys).map { Pair(a: $0, b: $1) })
        // Merge-sort y counting swaps (discordant pairs), then pairs tied in y.
        var buffer = ys
        let swaps = mergeCount(&ys, &buffer, 0, n)
        let tiedY = tiedPairs(ys)
        let total = n * (n - 1) / 2
        let concordantMinusDiscordant = Double(total - tiedX - tiedY + tiedBoth) - 2 * Double(swaps)
        let denominator = (Double(total - tiedX) * Double(total - tiedY)).squareRoot()
        guard denominator > 0 else { return .nan }
        return concordantMinusDiscordant / denominator
    }

    /// Spearman's rho: Pearson correlation of average ranks.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "spearman: lengths \(x.count) and \(y.count) differ")
        guard x.count >= 2 else { return .nan }
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// Pearson correlation; NaN when either input is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Ranks from 1, ties given their average rank (scipy's `rankdata(method="average")`).
    public static func averageRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    struct Pair: Equatable { var a: Double; var b: Double }

    /// Σ t(t−1)/2 over runs of equal adjacent elements of a sorted array.
    static func tiedPairs<T: Equatable>(_ sorted: [T]) -> Int {
        var total = 0, run = 1
        for i in 1..<max(1, sorted.count) {
            if sorted[i] == sorted[i - 1] { run += 1 } else { total += run * (run - 1) / 2; run = 1 }
        }
        return total + run * (run - 1) / 2
    }

    /// Sorts `a[lo..<hi]` ascending and returns the number of inversions (strictly greater before smaller).
    static func mergeCount(_ a: inout [Double], _ tmp: inout [Double], _ lo: Int, _ hi: Int) -> Int {
        guard hi - lo > 1 else { return 0 }
        let mid = (lo + hi) / 2
        var swaps = mergeCount(&a, &tmp, lo, mid) + mergeCount(&a, &tmp, mid, hi)
        var i = lo, j = mid, k = lo
        while i < mid && j < hi {
            if a[j] < a[i] { tmp[k] = a[j]; j += 1; swaps += mid - i } else { tmp[k] = a[i]; i += 1 }
            k += 1
        }
        while i < mid { tmp[k] = a[i]; i += 1; k += 1 }
        while j < hi { tmp[k] = a[j]; j += 1; k += 1 }
        for t in lo..<hi { a[t] = tmp[t] }
        return swaps
    }
}
