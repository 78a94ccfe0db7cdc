/// A dense row-major Float32 matrix: element (r, c) is `data[r * cols + c]`.
///
/// Every wrapper in `Linalg/` takes and returns row-major matrices; the column-major nature of
/// LAPACK is handled inside the wrappers, once.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public var data: [Float]

    /// A zero-filled `rows × cols` matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix size")
        self.rows = rows
        self.cols = cols
        self.data = [Float](repeating: 0, count: rows * cols)
    }

    /// Wraps `data` (row-major, `rows * cols` elements).
    public init(rows: Int, cols: Int, data: [Float]) {
        precondition(data.count == rows * cols, "matrix data has \(data.count) elements, expected \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// Builds a matrix from a function of (row, column).
    public init(rows: Int, cols: Int, _ f: (Int, Int) -> Float) {
        var d = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows { for c in 0..<cols { d[r * cols + c] = f(r, c) } }
        self.init(rows: rows, cols: cols, data: d)
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, cols: n) { $0 == $1 ? 1 : 0 } }

    public subscript(r: Int, c: Int) -> Float {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Float] { Array(data[(r * cols)..<((r + 1) * cols)]) }

    /// The transpose (a copy).
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t.data[c * rows + r] = data[r * cols + c] } }
        return t
    }

    /// Largest absolute element-wise difference to `other` (same shape).
    public func maxAbsDiff(_ other: Matrix) -> Float {
        precondition(rows == other.rows && cols == other.cols, "shape mismatch")
        var m: Float = 0
        for i in 0..<data.count { m = Swift.max(m, abs(data[i] - other.data[i])) }
        return m
    }
}

/// Errors reported by the LAPACK wrappers.
public enum LinalgError: Error, CustomStringConvertible, Equatable {
    case notSquare(String, rows: Int, cols: Int)
    case notPositiveDefinite(minor: Int)
    case singular(index: Int)
    case noConvergence(String, info: Int)
    case illegalArgument(String, info: Int)

    public var description: String {
        switch self {
        case let .notSquare(op, r, c): return "\(op): matrix must be square, got \(r)×\(c)"
        case let .notPositiveDefinite(k): return "Cholesky: leading minor \(k) is not positive definite"
        case let .singular(i): return "inverse: factor has a zero diagonal element at \(i)"
        case let .noConvergence(op, info): return "\(op): did not converge (info \(info))"
        case let .illegalArgument(op, info): return "\(op): illegal argument \(-info)"
        }
    }
}
