#if canImport(Glibc)
import Glibc
#endif

/// Wanda's activation statistic (locuslab/wanda `WrappedGPT.add_batch`, kernels.md §3.5):
/// `scaler_row[j] = (1/N_seq)·Σ_tokens x_j²` as a running average over sequences.
public struct WandaStatistic: Sendable {
    public private(set) var scalerRow: [Float]
    public private(set) var sequences = 0

    public init(columns: Int) { scalerRow = [Float](repeating: 0, count: columns) }

    /// Adds one sequence's inputs `x [tokens, in]`.
    public mutating func add(sequence x: Matrix) {
        precondition(x.cols == scalerRow.count, "Wanda: input has \(x.cols) columns, expected \(scalerRow.count)")
        let decay = Float(Double(sequences) / Double(sequences + 1))
        sequences += 1
        var ss = [Double](repeating: 0, count: x.cols)
        x.data.withUnsafeBufferPointer { p in
            for t in 0..<x.rows { for j in 0..<x.cols { let v = Double(p[t * x.cols + j]); ss[j] += v * v } }
        }
        let n = Float(sequences)
        for j in 0..<x.cols {
            let norm = Float(ss[j].squareRoot())   // torch.norm(p=2), then ** 2
            scalerRow[j] = scalerRow[j] * decay + (norm * norm) / n
        }
    }

    /// Adds every sequence of stacked inputs (rows grouped by `lengths`).
    public mutating func add(_ x: Matrix, lengths: [Int]) {
        var start = 0
        for t in lengths {
            add(sequence: Matrix(rows: t, cols: x.cols, data: Array(x.data[(start * x.cols)..<((start + t) * x.cols)])))
            start += t
        }
    }
}

/// Wanda pruning: metric `|W| ⊙ √scaler_row`; unstructured prunes, per output row, the `⌊in·s⌋`
/// smallest (stable sort, ties by index); N:M prunes the N smallest of each run of M inputs.
public func wandaPrune(_ w: Matrix, scalerRow: [Float], sparsity: Float = 0.5, pruneN: Int = 0, pruneM: Int = 0) -> (weight: Matrix, mask: [Bool]) {
    precondition(scalerRow.count == w.cols, "Wanda: statistic has \(scalerRow.count) values, weight \(w.cols) inputs")
    let root = scalerRow.map { sqrtf($0) }
    var metric = [Float](repeating: 0, count: w.data.count)
    for r in 0..<w.rows { for c in 0..<w.cols { metric[r * w.cols + c] = abs(w.data[r * w.cols + c]) * root[c] } }
    var mask: [Bool]
    if pruneN == 0 {
        mask = [Bool](repeating: false, count: w.data.count)
        let k = Int(Float(w.cols) * sparsity)
        for r in 0..<w.rows {
            let base = r * w.cols
            let order = Array(0..<w.cols).sorted { metric[base + $0] < metric[base + $1] || (metric[base + $0] == metric[base + $1] && $0 < $1) }
            for c in order.prefix(k) { mask[base + c] = true }
        }
    } else {
        mask = nOfMMask(metric, rows: w.rows, cols: w.cols, n: pruneN, m: pruneM)
    }
    return (applyMask(w, mask), mask)
}
