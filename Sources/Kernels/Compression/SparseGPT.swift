/// SparseGPT options (IST-DASLab `fasterprune`, kernels.md §3.4).
public struct SparseGPTOptions: Sendable, Codable, Equatable {
    public var sparsity: Float = 0.5
    /// N:M pattern (`prunen`, `prunem`); 0:0 for unstructured.
    public var pruneN = 0, pruneM = 0
    public var blockSize = 128
    public var percDamp: Float = 0.01
    public init(sparsity: Float = 0.5, pruneN: Int = 0, pruneM: Int = 0, blockSize: Int = 128, percDamp: Float = 0.01) {
        self.sparsity = sparsity; self.pruneN = pruneN; self.pruneM = pruneM; self.blockSize = blockSize; self.percDamp = percDamp
    }
}

/// SparseGPT on `w [out, in]` with Hessian `h`: per block of 128 columns choose the mask from
/// `w²/diag(U)²` (over the whole block, or N of every M columns per row), zero the pruned weights and
/// push each column's error onto the later columns (OBS update), as GPTQ does. Returns the dense
/// pruned weight and the reference's printed error.
public func sparseGPTPrune(_ wIn: Matrix, hessian: Matrix, options o: SparseGPTOptions = SparseGPTOptions()) throws -> (weight: Matrix, error: Double) {
    let rows = wIn.rows, cols = wIn.cols
    guard hessian.rows == cols && hessian.cols == cols else {
        throw CompressionError.badShape("SparseGPT: Hessian is \(hessian.rows)×\(hessian.cols), weight has \(cols) inputs")
    }
    guard o.pruneN == 0 || (o.pruneM > o.pruneN && o.pruneN > 0) else {
        throw CompressionError.badParameter("SparseGPT: N:M pattern \(o.pruneN):\(o.pruneM) is invalid")
    }
    var w = wIn
    let u = try prepareInverseHessian(hessian, weight: &w, percDamp: o.percDamp)
    var loss: Double = 0
    let bs = o.blockSize
    for i1 in stride(from: 0, to: cols, by: bs) {
        let i2 = min(i1 + bs, cols), count = i2 - i1
        var w1 = Matrix(rows: rows, cols: count) { w[$0, i1 + $1] }
        var err1 = Matrix(rows: rows, cols: count)
        let dU = (0..<count).map { u[i1 + $0, i1 + $0] }
        var mask = [Bool](repeating: false, count: rows * count)
        if o.pruneN == 0 {
            var score = [Float](repeating: 0, count: rows * count)
            for r in 0..<rows { for j in 0..<count { let x = w1[r, j]; score[r * count + j] = x * x / (dU[j] * dU[j]) } }
            let thresh = score.sorted()[Int(Float(score.count) * o.sparsity)]
            for k in 0..<score.count { mask[k] = score[k] <= thresh }
        }
        for i in 0..<count {
            if o.pruneN != 0 && i % o.pruneM == 0 {
                let span = min(o.pruneM, count - i)
                for r in 0..<rows {
                    let s = (0..<span).map { j -> Float in let x = w1[r, i + j]; return x * x / (dU[i + j] * dU[i + j]) }
                    for j in smallestIndices(s, o.pruneN) { mask[r * count + i + j] = true }
                }
            }
            let d = dU[i]
            w1.data.withUnsafeMutableBufferPointer { pw in
                u.data.withUnsafeBufferPointer { pu in
                    let urow = pu.baseAddress! + (i1 + i) * cols + i1
                    for r in 0..<rows {
                        let wrow = pw.baseAddress! + r * count
                        let x = wrow[i]
                        let q: Float = mask[r * count + i] ? 0 : x
                        loss += Double((x - q) * (x - q) / (d * d)) / 2
                        let e = (x - q) / d
                        err1[r, i] = e
                        for j in i..<count { wrow[j] -= e * urow[j] }
                        wrow[i] = q
                    }
                }
            }
        }
        for r in 0..<rows { for j in 0..<count { w[r, i1 + j] = w1[r, j] } }
        if i2 < cols {
            err1.data.withUnsafeBufferPointer { pe in
                u.data.withUnsafeBufferPointer { pu in
                    w.data.withUnsafeMutableBufferPointer { pw in
                        sgemm(m: rows, n: cols - i2, k: count, alpha: -1, a: pe.baseAddress!, lda: count,
                              b: pu.baseAddress! + i1 * cols + i2, ldb: cols, beta: 1, c: pw.baseAddress! + i2, ldc: cols)
                    }
                }
            }
        }
    }
    return (w, loss)
}

/// Indices of the `n` smallest values of `s` (ties by index).
func smallestIndices(_ s: [Float], _ n: Int) -> [Int] {
    Array(Array(0..<s.count).sorted { s[$0] < s[$1] || (s[$0] == s[$1] && $0 < $1) }.prefix(n))
}
