import COpenBLAS

/// Symmetric rank-k update: `C = alpha · AᵀA + beta · C` (`trans == true`, A is `k × n`, C is `n × n`)
/// or `C = alpha · AAᵀ + beta · C` (`trans == false`, A is `n × k`).
///
/// OpenBLAS writes one triangle only; this wrapper mirrors it so that `c` is the full symmetric matrix.
/// A GPTQ Hessian is `syrk(X, trans: true, alpha: 2/N, into: &H)` with `X` the `tokens × in` inputs.
public func syrk(_ a: Matrix, trans: Bool, alpha: Float = 1, beta: Float = 0, into c: inout Matrix) {
    let n = trans ? a.cols : a.rows
    let k = trans ? a.rows : a.cols
    precondition(c.rows == n && c.cols == n, "syrk: output is \(c.rows)×\(c.cols), expected \(n)×\(n)")
    if n == 0 { return }
    // Row-major upper triangle: element (i, j) with j >= i.
    a.data.withUnsafeBufferPointer { pa in
        c.data.withUnsafeMutableBufferPointer { pc in
            cblas_ssyrk(CblasRowMajor, CblasUpper, trans ? CblasTrans : CblasNoTrans,
                        Int32(n), Int32(k), alpha, pa.baseAddress!, Int32(max(1, a.cols)),
                        beta, pc.baseAddress!, Int32(n))
        }
    }
    mirrorUpperToLower(&c)
}

/// `AᵀA` (`trans == true`) or `AAᵀ` as a new full symmetric matrix.
public func syrk(_ a: Matrix, trans: Bool, alpha: Float = 1) -> Matrix {
    let n = trans ? a.cols : a.rows
    var c = Matrix(rows: n, cols: n)
    syrk(a, trans: trans, alpha: alpha, into: &c)
    return c
}

/// Copies the row-major upper triangle onto the lower one.
func mirrorUpperToLower(_ c: inout Matrix) {
    let n = c.rows
    for i in 0..<n { for j in 0..<i { c.data[i * n + j] = c.data[j * n + i] } }
}

/// Copies the row-major lower triangle onto the upper one.
func mirrorLowerToUpper(_ c: inout Matrix) {
    let n = c.rows
    for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { c.data[i * n + j] = c.data[j * n + i] } }
}
