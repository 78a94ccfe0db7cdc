#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS

/// Effective rank of a block of logits (specs/kernels.md §5.1, qllm-eval's `compute_erank`).
public enum ERank {
    /// Eigenvalues of the normalised Gram matrix at or below this are dropped (the spec's Gram form).
    public static let eigenvalueFloor = 1e-8

    /// ERank of `logits`, row-major `[rows, cols]` (positions × vocabulary): rows are centred on the
    /// column means and scaled to unit length; the spectrum of `Z Zᵀ / N` (float64, LAPACK `dsyevd`),
    /// divided by its trace, gives `exp(−Σ p log p)`. Returns NaN for fewer than one row.
    public static func compute(_ logits: [Float], rows: Int, cols: Int) -> Double {
        precondition(logits.count == rows * cols, "ERank: \(logits.count) values for [\(rows), \(cols)]")
        guard rows > 0, cols > 0 else { return .nan }
        var z = [Double](repeating: 0, count: rows * cols)
        for c in 0..<cols {
            var mean = 0.0
            for r in 0..<rows { mean += Double(logits[r * cols + c]) }
            mean /= Double(rows)
            for r in 0..<rows { z[r * cols + c] = Double(logits[r * cols + c]) - mean }
        }
        for r in 0..<rows {
            var norm = 0.0
            for c in 0..<cols { norm += z[r * cols + c] * z[r * cols + c] }
            let scale = 1 / max(norm.squareRoot(), 1e-12)
            for c in 0..<cols { z[r * cols + c] *= scale }
        }
        var gram = [Double](repeating: 0, count: rows * rows)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(rows), Int32(cols),
                    1 / Double(rows), z, Int32(cols), 0, &gram, Int32(rows))
        var trace = 0.0
        for i in 0..<rows { trace += gram[i * rows + i] }
        var eigen = [Double](repeating: 0, count: rows)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "U")),
                                  Int32(rows), &gram, Int32(rows), &eigen)
        guard info == 0, trace > 0 else { return .nan }
        var entropy = 0.0
        for e in eigen where e > eigenvalueFloor {
            let p = e / trace
            entropy -= p * log(p)
        }
        return exp(entropy)
    }

    /// `(ERank_compressed / ERank_base − 1) · 100`, the growth ACBench reports.
    public static func growth(base: Double, compressed: Double) -> Double { (compressed / base - 1) * 100 }
}
