import COpenBLAS

/// Eigen-decomposition of a symmetric matrix (LAPACK ssyevd / dsyevd).
///
/// Eigenvalues come in ascending order. With `vectors`, column `j` of `vectors` is the unit
/// eigenvector of `values[j]` (as numpy's `eigh`), so `A ≈ V · diag(values) · Vᵀ`.
public struct SymmetricEigen: Sendable {
    public let values: [Float]
    public let vectors: Matrix?
}

/// Eigenvalues (and optionally eigenvectors) of the symmetric `a`; only its upper triangle is read.
public func symmetricEigen(_ a: Matrix, vectors: Bool = true) throws -> SymmetricEigen {
    guard a.rows == a.cols else { throw LinalgError.notSquare("symmetricEigen", rows: a.rows, cols: a.cols) }
    let n = a.rows
    if n == 0 { return SymmetricEigen(values: [], vectors: vectors ? a : nil) }
    var work = a
    var w = [Float](repeating: 0, count: n)
    // Row-major upper == column-major lower. With jobz = V, LAPACK leaves column-major eigenvectors
    // (column j = vector j), which read row-major are the rows: transpose once at the end.
    let info = work.data.withUnsafeMutableBufferPointer { pa in
        LAPACKE_ssyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")),
                       CChar(UInt8(ascii: "L")), Int32(n), pa.baseAddress!, Int32(n), &w)
    }
    if info < 0 { throw LinalgError.illegalArgument("ssyevd", info: Int(info)) }
    if info > 0 { throw LinalgError.noConvergence("ssyevd", info: Int(info)) }
    return SymmetricEigen(values: w, vectors: vectors ? work.transposed : nil)
}

/// Eigenvalues (ascending) of a symmetric `n × n` float64 matrix, row-major; only the upper triangle
/// is read. Metrics such as ERank need float64 (kernels.md §5.1).
public func symmetricEigenvalues(float64 a: [Double], n: Int) throws -> [Double] {
    precondition(a.count == n * n, "symmetricEigenvalues: \(a.count) elements, expected \(n)×\(n)")
    if n == 0 { return [] }
    var work = a
    var w = [Double](repeating: 0, count: n)
    let info = work.withUnsafeMutableBufferPointer { pa in
        LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                       Int32(n), pa.baseAddress!, Int32(n), &w)
    }
    if info < 0 { throw LinalgError.illegalArgument("dsyevd", info: Int(info)) }
    if info > 0 { throw LinalgError.noConvergence("dsyevd", info: Int(info)) }
    return w
}
