import COpenBLAS

// General matrix products through OpenBLAS (row-major CBLAS).
//
// These calls block their thread for as long as the product takes and use as many OpenBLAS threads as
// `BLASThreads.set` allows. Do not call them from Swift's cooperative pool for long products: run them
// on a dedicated thread (the compress executor owns one) and bridge back to async code.

/// `C = alpha · op(A) · op(B) + beta · C` on raw row-major buffers.
///
/// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `lda`, `ldb`, `ldc` are the row strides
/// of the buffers as stored (so for `transA` the stored A is `k × m` and `lda ≥ m`).
@inline(__always)
public func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                  b: UnsafePointer<Float>, ldb: Int,
                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// `C = alpha · op(A) · op(B) + beta · C` on matrices.
public func gemm(_ a: Matrix, transA: Bool = false, _ b: Matrix, transB: Bool = false,
                 alpha: Float = 1, beta: Float = 0, into c: inout Matrix) {
    let m = transA ? a.cols : a.rows
    let k = transA ? a.rows : a.cols
    let kb = transB ? b.cols : b.rows
    let n = transB ? b.rows : b.cols
    precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
    precondition(c.rows == m && c.cols == n, "gemm: output is \(c.rows)×\(c.cols), expected \(m)×\(n)")
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            c.data.withUnsafeMutableBufferPointer { pc in
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                      a: pa.baseAddress!, lda: max(1, a.cols), b: pb.baseAddress!, ldb: max(1, b.cols),
                      beta: beta, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
}

/// `op(A) · op(B)` as a new matrix.
public func matmul(_ a: Matrix, transA: Bool = false, _ b: Matrix, transB: Bool = false) -> Matrix {
    var c = Matrix(rows: transA ? a.cols : a.rows, cols: transB ? b.rows : b.cols)
    if c.rows > 0 && c.cols > 0 && (transA ? a.rows : a.cols) > 0 {
        gemm(a, transA: transA, b, transB: transB, into: &c)
    }
    return c
}
