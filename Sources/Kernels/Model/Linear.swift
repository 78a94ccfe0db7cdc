/// A linear layer `y = x·Wᵀ + b` with the HF orientation `W [out, in]`.
public struct Linear: Sendable {
    public var weight: Matrix
    public var bias: [Float]?

    public init(weight: Matrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias!.count == weight.rows, "linear bias has \(bias!.count) values for \(weight.rows) outputs")
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.cols }
    public var outFeatures: Int { weight.rows }

    /// `x·Wᵀ + b` for `x [tokens, in]` (one OpenBLAS GEMM; blocks the calling thread).
    public func callAsFunction(_ x: Matrix) -> Matrix {
        precondition(x.cols == inFeatures, "linear: input has \(x.cols) features, expected \(inFeatures)")
        var y = Matrix(rows: x.rows, cols: outFeatures)
        if x.rows == 0 { return y }
        if let bias {
            y.data.withUnsafeMutableBufferPointer { p in
                for r in 0..<x.rows { for c in 0..<outFeatures { p[r * outFeatures + c] = bias[c] } }
            }
        }
        x.data.withUnsafeBufferPointer { px in
            weight.data.withUnsafeBufferPointer { pw in
                y.data.withUnsafeMutableBufferPointer { py in
                    sgemm(transB: true, m: x.rows, n: outFeatures, k: inFeatures, a: px.baseAddress!, lda: inFeatures,
                          b: pw.baseAddress!, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: py.baseAddress!, ldc: outFeatures)
                }
            }
        }
        return y
    }
}
