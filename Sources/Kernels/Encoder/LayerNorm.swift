#if canImport(Glibc)
import Glibc
#endif

/// `(x − mean) / sqrt(var + eps) · w + b` per row (biased variance), fp32.
public func layerNorm(_ x: Matrix, weight: [Float], bias: [Float], eps: Float) -> Matrix {
    precondition(weight.count == x.cols && bias.count == x.cols, "layerNorm: parameter size mismatch")
    var y = Matrix(rows: x.rows, cols: x.cols)
    let h = x.cols
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for r in 0..<x.rows {
                let row = px.baseAddress! + r * h
                var mean: Float = 0
                for i in 0..<h { mean += row[i] }
                mean /= Float(h)
                var variance: Float = 0
                for i in 0..<h { let d = row[i] - mean; variance += d * d }
                variance /= Float(h)
                let inv = 1 / sqrtf(variance + eps)
                for i in 0..<h { py[r * h + i] = (row[i] - mean) * inv * weight[i] + bias[i] }
            }
        }
    }
    return y
}

/// Exact (erf) GELU in place: `0.5 · x · (1 + erf(x / √2))`.
public func geluInPlace(_ x: inout Matrix) {
    x.data.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count { let v = p[i]; p[i] = 0.5 * v * (1 + erff(v * Float(0.7071067811865476))) }
    }
}
