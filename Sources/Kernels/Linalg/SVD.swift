import COpenBLAS

/// Thin singular value decomposition `A = U · diag(s) · Vᵀ` (LAPACK sgesdd).
///
/// For an `m × n` matrix with `k = min(m, n)`: `u` is `m × k`, `s` has `k` values in descending
/// order, `vt` is `k × n`. Without vectors only `s` is computed (much cheaper).
public struct SVDResult: Sendable {
    public let u: Matrix?
    public let s: [Float]
    public let vt: Matrix?
}

public func svd(_ a: Matrix, vectors: Bool = true) throws -> SVDResult {
    let m = a.rows, n = a.cols, k = min(m, n)
    if k == 0 {
        return SVDResult(u: vectors ? Matrix(rows: m, cols: 0) : nil, s: [],
                         vt: vectors ? Matrix(rows: 0, cols: n) : nil)
    }
    // The row-major A is the column-major Aᵀ (n × m). Decomposing Aᵀ = U' S V'ᵀ gives
    // A = V' S U'ᵀ; column-major U' (n × k) read row-major is U'ᵀ (k × n) = Vᵀ, and column-major
    // V'ᵀ (k × m) read row-major is V' (m × k) = U. So the buffers come out row-major as they are.
    var work = a.data
    var s = [Float](repeating: 0, count: k)
    var vtBuf = [Float](repeating: 0, count: vectors ? k * n : 1)   // column-major U' (n × k)
    var uBuf = [Float](repeating: 0, count: vectors ? m * k : 1)    // column-major V'ᵀ (k × m)
    let info = work.withUnsafeMutableBufferPointer { pa in
        LAPACKE_sgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: vectors ? "S" : "N")),
                       Int32(n), Int32(m), pa.baseAddress!, Int32(n), &s,
                       &vtBuf, Int32(n), &uBuf, Int32(k))
    }
    if info < 0 { throw LinalgError.illegalArgument("sgesdd", info: Int(info)) }
    if info > 0 { throw LinalgError.noConvergence("sgesdd", info: Int(info)) }
    guard vectors else { return SVDResult(u: nil, s: s, vt: nil) }
    return SVDResult(u: Matrix(rows: m, cols: k, data: uBuf), s: s, vt: Matrix(rows: k, cols: n, data: vtBuf))
}
