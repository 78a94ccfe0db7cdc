#if canImport(Glibc)
import Glibc
#endif

// Element-wise pieces of the Llama block, fp32 as transformers computes them (kernels.md §1.2).

/// `w ⊙ x / sqrt(mean(x²) + eps)` per row of `x [tokens, H]`.
public func rmsNorm(_ x: Matrix, weight: [Float], eps: Float) -> Matrix {
    precondition(weight.count == x.cols, "rmsNorm: weight has \(weight.count) values, input \(x.cols) features")
    var y = Matrix(rows: x.rows, cols: x.cols)
    let h = x.cols
    x.data.withUnsafeBufferPointer { px in
        y.data.withUnsafeMutableBufferPointer { py in
            for r in 0..<x.rows {
                let row = px.baseAddress! + r * h
                var ss: Float = 0
                for i in 0..<h { ss += row[i] * row[i] }
                let inv = 1 / sqrtf(ss / Float(h) + eps)
                for i in 0..<h { py[r * h + i] = weight[i] * (row[i] * inv) }
            }
        }
    }
    return y
}

/// `silu(g) ⊙ u`, with `silu(x) = x / (1 + e^(−x))`.
public func siluMul(_ g: Matrix, _ u: Matrix) -> Matrix {
    precondition(g.rows == u.rows && g.cols == u.cols, "siluMul: shapes differ")
    var y = Matrix(rows: g.rows, cols: g.cols)
    g.data.withUnsafeBufferPointer { pg in
        u.data.withUnsafeBufferPointer { pu in
            y.data.withUnsafeMutableBufferPointer { py in
                for i in 0..<pg.count { let x = pg[i]; py[i] = (x / (1 + expf(-x))) * pu[i] }
            }
        }
    }
    return y
}

/// `x += y` element-wise.
public func addInPlace(_ x: inout Matrix, _ y: Matrix) {
    precondition(x.rows == y.rows && x.cols == y.cols, "add: shapes differ")
    x.data.withUnsafeMutableBufferPointer { px in
        y.data.withUnsafeBufferPointer { py in for i in 0..<px.count { px[i] += py[i] } }
    }
}

/// In-place softmax of `row[0..<n]` (entries past `n` are set to 0): max-subtracted, fp32.
@inline(__always)
func softmaxPrefix(_ row: UnsafeMutablePointer<Float>, valid: Range<Int>, width: Int) {
    var m = -Float.infinity
    for j in valid { m = max(m, row[j]) }
    var sum: Float = 0
    for j in valid { let e = expf(row[j] - m); row[j] = e; sum += e }
    let inv = 1 / sum
    for j in 0..<width { row[j] = valid.contains(j) ? row[j] * inv : 0 }
}

/// `log Σ exp(x)` computed stably in float64.
public func logSumExp(_ x: ArraySlice<Float>) -> Double {
    guard let m = x.max(), m.isFinite else { return Double(x.max() ?? -.infinity) }
    var s: Double = 0
    for v in x { s += exp(Double(v - m)) }
    return Double(m) + log(s)
}
