import COpenBLAS

// Cholesky factorisation and SPD inverse (LAPACK spotrf / spotri).
//
// LAPACK is column-major; a row-major symmetric buffer read as column-major is its own transpose,
// so the row-major *upper* triangle is LAPACK's column-major *lower* one (kernels.md §0.5). The
// wrappers pass the row-major buffer straight through with the swapped `uplo`: no copies.

/// Which triangular factor of `A` to return.
public enum Triangle: Sendable { case upper, lower }

/// The Cholesky factor of the symmetric positive definite `a`: upper `U` with `A = UᵀU`, or lower
/// `L` with `A = LLᵀ`. The other triangle of the result is zero.
public func cholesky(_ a: Matrix, _ triangle: Triangle = .upper) throws -> Matrix {
    guard a.rows == a.cols else { throw LinalgError.notSquare("cholesky", rows: a.rows, cols: a.cols) }
    var f = a
    try potrfInPlace(&f, triangle)
    zeroOtherTriangle(&f, keep: triangle)
    return f
}

/// The inverse of the symmetric positive definite `a` (spotrf then spotri), full symmetric result.
public func inverseSPD(_ a: Matrix) throws -> Matrix {
    guard a.rows == a.cols else { throw LinalgError.notSquare("inverseSPD", rows: a.rows, cols: a.cols) }
    var f = a
    let n = Int32(a.rows)
    if n == 0 { return f }
    try potrfInPlace(&f, .upper)
    // Row-major upper == column-major lower.
    let info = f.data.withUnsafeMutableBufferPointer {
        LAPACKE_spotri(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), n, $0.baseAddress!, n)
    }
    if info < 0 { throw LinalgError.illegalArgument("spotri", info: Int(info)) }
    if info > 0 { throw LinalgError.singular(index: Int(info) - 1) }
    mirrorUpperToLower(&f)
    return f
}

/// Factorises `f` in place; only the requested row-major triangle is meaningful afterwards.
func potrfInPlace(_ f: inout Matrix, _ triangle: Triangle) throws {
    let n = Int32(f.rows)
    if n == 0 { return }
    let uplo = CChar(UInt8(ascii: triangle == .upper ? "L" : "U"))  // swapped: see above
    let info = f.data.withUnsafeMutableBufferPointer {
        LAPACKE_spotrf(LAPACK_COL_MAJOR, uplo, n, $0.baseAddress!, n)
    }
    if info < 0 { throw LinalgError.illegalArgument("spotrf", info: Int(info)) }
    if info > 0 { throw LinalgError.notPositiveDefinite(minor: Int(info)) }
}

func zeroOtherTriangle(_ f: inout Matrix, keep: Triangle) {
    let n = f.rows
    for i in 0..<n {
        for j in 0..<n where (keep == .upper && j < i) || (keep == .lower && j > i) {
            f.data[i * n + j] = 0
        }
    }
}
