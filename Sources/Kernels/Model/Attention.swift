/// Causal grouped-query attention over stacked sequences (kernels.md §1.2).
///
/// `q [tokens, nh·hd]`, `k`/`v [tokens, nkv·hd]` (after RoPE). Query head j uses kv head
/// `j / (nh/nkv)`. Scores `q·kᵀ/√hd` with the causal mask (and Mistral's sliding window), softmax in
/// fp32, then `P·v`. Products go through OpenBLAS with strides, no copies of the heads.
extension LlamaModel {
    func attention(q: Matrix, k: Matrix, v: Matrix, lengths: [Int], probs: [[Matrix]]?) -> (output: Matrix, probs: [[Matrix]]?) {
        let nh = config.numHeads, nkv = config.numKVHeads, hd = config.headDim
        let group = nh / nkv
        let scale = 1 / Float(hd).squareRoot()
        let window = config.slidingWindow
        var out = Matrix(rows: q.rows, cols: nh * hd)
        var recorded: [[Matrix]]? = probs == nil ? nil : []
        let maxT = lengths.max() ?? 0
        var scores = [Float](repeating: 0, count: maxT * maxT)
        var start = 0
        for t in lengths {
            var seqProbs: [Matrix] = []
            for j in 0..<nh {
                let kv = j / group
                q.data.withUnsafeBufferPointer { pq in
                    k.data.withUnsafeBufferPointer { pk in
                        scores.withUnsafeMutableBufferPointer { ps in
                            // S = scale · q_j · k_kvᵀ   [t, t]
                            sgemm(transB: true, m: t, n: t, k: hd, alpha: scale,
                                  a: pq.baseAddress! + start * nh * hd + j * hd, lda: nh * hd,
                                  b: pk.baseAddress! + start * nkv * hd + kv * hd, ldb: nkv * hd,
                                  c: ps.baseAddress!, ldc: t)
                            for i in 0..<t {
                                let lo = window.map { max(0, i - $0 + 1) } ?? 0
                                softmaxPrefix(ps.baseAddress! + i * t, valid: lo..<(i + 1), width: t)
                            }
                        }
                    }
                }
                if recorded != nil { seqProbs.append(Matrix(rows: t, cols: t, data: Array(scores[0..<(t * t)]))) }
                v.data.withUnsafeBufferPointer { pv in
                    scores.withUnsafeBufferPointer { ps in
                        out.data.withUnsafeMutableBufferPointer { po in
                            // o_j = P · v_kv   [t, hd]
                            sgemm(m: t, n: hd, k: t, a: ps.baseAddress!, lda: t,
                                  b: pv.baseAddress! + start * nkv * hd + kv * hd, ldb: nkv * hd,
                                  c: po.baseAddress! + start * nh * hd + j * hd, ldc: nh * hd)
                        }
                    }
                }
            }
            recorded?.append(seqProbs)
            start += t
        }
        return (out, recorded)
    }
}
