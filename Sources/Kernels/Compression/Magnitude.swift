/// Magnitude pruning (locuslab/wanda `prune_magnitude`, kernels.md §3.6).
///
/// Unstructured: one threshold over the whole matrix, `thresh = sorted(|W|)[⌊numel·s⌋]`, prune
/// `|W| ≤ thresh` (so ties and the threshold entry itself go too). N:M: per row, in each run of M
/// inputs prune the N smallest `|W|`. Returns the pruned weight and the mask (true = pruned).
public func magnitudePrune(_ w: Matrix, sparsity: Float = 0.5, pruneN: Int = 0, pruneM: Int = 0) -> (weight: Matrix, mask: [Bool]) {
    let metric = w.data.map { abs($0) }
    var mask: [Bool]
    if pruneN == 0 {
        let thresh = metric.sorted()[Int(Float(metric.count) * sparsity)]
        mask = metric.map { $0 <= thresh }
    } else {
        mask = nOfMMask(metric, rows: w.rows, cols: w.cols, n: pruneN, m: pruneM)
    }
    return (applyMask(w, mask), mask)
}

/// Per row, in each run of `m` columns, marks the `n` smallest metric values.
func nOfMMask(_ metric: [Float], rows: Int, cols: Int, n: Int, m: Int) -> [Bool] {
    var mask = [Bool](repeating: false, count: rows * cols)
    for r in 0..<rows {
        for c0 in stride(from: 0, to: cols, by: m) {
            let span = min(m, cols - c0)
            let s = (0..<span).map { metric[r * cols + c0 + $0] }
            for j in smallestIndices(s, n) { mask[r * cols + c0 + j] = true }
        }
    }
    return mask
}

/// `w` with the masked entries set to 0.
func applyMask(_ w: Matrix, _ mask: [Bool]) -> Matrix {
    var out = w
    for i in 0..<mask.count where mask[i] { out.data[i] = 0 }
    return out
}
