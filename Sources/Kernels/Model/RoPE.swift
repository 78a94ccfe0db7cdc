#if canImport(Glibc)
import Glibc
#endif

/// Rotary embedding tables (kernels.md §1.3): inverse frequencies after any scaling, and cos/sin per position.
public struct RoPE: Sendable {
    public let headDim: Int
    public let invFreq: [Float]

    public init(config: RoPEConfig, headDim: Int) {
        self.headDim = headDim
        let half = headDim / 2
        // As transformers: exponent 2i/hd in fp32, theta^exponent in fp32, reciprocal in fp32.
        var inv = (0..<half).map { i in 1 / powf(Float(config.theta), Float(2 * i) / Float(headDim)) }
        if case let .llama3(factor, lowFF, highFF, n0) = config.kind {
            let f = Float(factor), lo = Float(lowFF), hi = Float(highFF), old = Float(n0)
            let lowWavelen = old / lo, highWavelen = old / hi
            inv = inv.map { freq in
                let wavelen = 2 * Float.pi / freq
                let scaled = wavelen > lowWavelen ? freq / f : freq
                if wavelen < highWavelen || wavelen > lowWavelen { return scaled }
                let s = (old / wavelen - lo) / (hi - lo)
                return (1 - s) * scaled / f + s * scaled
            }
        }
        invFreq = inv
    }

    /// `cos` and `sin` of `p · invFreq`, each duplicated to `headDim` values, for positions `0..<count`.
    public func tables(count: Int) -> (cos: [Float], sin: [Float]) {
        let half = headDim / 2
        var c = [Float](repeating: 0, count: count * headDim), s = c
        for p in 0..<count {
            for i in 0..<half {
                let f = Float(p) * invFreq[i]
                let cv = cosf(f), sv = sinf(f)
                c[p * headDim + i] = cv; c[p * headDim + i + half] = cv
                s[p * headDim + i] = sv; s[p * headDim + i + half] = sv
            }
        }
        return (c, s)
    }

    /// Rotates every head of `x [tokens, heads·hd]` in place; token t of sequence s has position `positions[t]`.
    public func apply(_ x: inout Matrix, heads: Int, positions: [Int], cos: [Float], sin: [Float]) {
        let hd = headDim, half = hd / 2
        precondition(x.cols == heads * hd && positions.count == x.rows, "RoPE: shape mismatch")
        x.data.withUnsafeMutableBufferPointer { px in
            for t in 0..<x.rows {
                let base = positions[t] * hd
                for h in 0..<heads {
                    let v = px.baseAddress! + t * x.cols + h * hd
                    for i in 0..<half {
                        let a = v[i], b = v[i + half]
                        // x·cos + rotate_half(x)·sin, rotate_half(x) = [−x2, x1]
                        v[i] = a * cos[base + i] - b * sin[base + i]
                        v[i + half] = b * cos[base + i + half] + a * sin[base + i + half]
                    }
                }
            }
        }
    }
}
