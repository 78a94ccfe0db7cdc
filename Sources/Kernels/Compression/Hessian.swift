/// The GPTQ/SparseGPT Hessian `H = (2/N)·XᵀX`, accumulated per calibration sequence exactly as the
/// references' `add_batch` does (kernels.md §3.2): `H ← H·n/(n+1)`, `n ← n+1`, `H += (√(2/n)·x)ᵀ(√(2/n)·x)`.
public struct HessianAccumulator: Sendable {
    public private(set) var h: Matrix
    public private(set) var sequences = 0

    public init(columns: Int) { h = Matrix(rows: columns, cols: columns) }

    /// Adds one sequence's inputs `x [tokens, in]`.
    public mutating func add(sequence x: Matrix) {
        precondition(x.cols == h.cols, "Hessian: input has \(x.cols) columns, expected \(h.cols)")
        let n = sequences
        let decay = Float(Double(n) / Double(n + 1))
        sequences += 1
        let s = Float((2.0 / Double(sequences)).squareRoot())
        var scaled = x
        for i in 0..<scaled.data.count { scaled.data[i] *= s }
        if n > 0 { for i in 0..<h.data.count { h.data[i] *= decay } }
        syrk(scaled, trans: true, alpha: 1, beta: 1, into: &h)
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

/// What GPTQ and SparseGPT do to `H` before the column loop: dead columns (`H[j,j] == 0`) get
/// `H[j,j] = 1` and `W[:, j] = 0`; `damp = percdamp·mean(diag H)` is added to the diagonal; then the
/// upper Cholesky factor `U` of `H⁻¹` (potrf, potri, potrf) is returned.
public func prepareInverseHessian(_ hIn: Matrix, weight w: inout Matrix, percDamp: Float) throws -> Matrix {
    var h = hIn
    let n = h.rows
    for j in 0..<n where h[j, j] == 0 {
        h[j, j] = 1
        for r in 0..<w.rows { w[r, j] = 0 }
    }
    try inverseHessianFactor(&h, percDamp: percDamp)
    return h
}

/// Adds the damping and replaces `h` by the upper Cholesky factor of its inverse.
func inverseHessianFactor(_ h: inout Matrix, percDamp: Float) throws {
    let n = h.rows
    var diagSum: Double = 0
    for j in 0..<n { diagSum += Double(h[j, j]) }
    let damp = percDamp * Float(diagSum / Double(n))
    for j in 0..<n { h[j, j] += damp }
    do {
        h = try cholesky(try inverseSPD(h), .upper)
    } catch {
        throw CompressionError.numerical("Hessian is not positive definite after damping \(percDamp) (\(error)); raise the dampening")
    }
}
