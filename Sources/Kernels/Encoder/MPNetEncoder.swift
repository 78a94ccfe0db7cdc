#if canImport(Glibc)
import Glibc
#endif

/// The sentence encoder all-mpnet-base-v2 (kernels.md §2.3): MPNet with a shared relative position
/// bias, mean pooling over the attention mask, L2 normalisation. fp32 on OpenBLAS; `encode` blocks its
/// thread (call it from a dedicated thread, not from Swift's cooperative pool).
public struct MPNetEncoder: Sendable {
    struct Layer: Sendable {
        var q: Linear, k: Linear, v: Linear, o: Linear
        var attnNormW: [Float], attnNormB: [Float]
        var intermediate: Linear, output: Linear
        var outNormW: [Float], outNormB: [Float]
    }

    public let tokenizer: Tokenizer
    public let hiddenSize: Int
    public let numHeads: Int
    /// Token limit including `<s>` and `</s>` (sentence_bert_config.json `max_seq_length`, 384).
    public let maxSeqLength: Int
    let eps: Float
    let padId: Int
    let wordEmbeddings: Matrix
    let positionEmbeddings: Matrix
    let embNormW: [Float], embNormB: [Float]
    /// `[buckets, heads]`
    let relativeBias: Matrix
    let numBuckets: Int
    let layers: [Layer]

    /// Loads the sentence-transformers folder (config.json, model.safetensors, tokenizer.json,
    /// sentence_bert_config.json).
    public init(directory: String) throws {
        let config = try readJSONFile(directory + "/config.json")
        guard config["model_type"]?.string == "mpnet" else {
            throw ModelConfigError(path: directory + "/config.json", message: "model_type is not mpnet")
        }
        func int(_ k: String) throws -> Int {
            guard let v = config[k]?.int else { throw ModelConfigError(path: directory + "/config.json", message: "missing \(k)") }
            return v
        }
        let h = try int("hidden_size"), layers = try int("num_hidden_layers"), inter = try int("intermediate_size")
        hiddenSize = h
        numHeads = try int("num_attention_heads")
        numBuckets = config["relative_attention_num_buckets"]?.int ?? 32
        eps = Float(config["layer_norm_eps"]?.double ?? 1e-5)
        padId = config["pad_token_id"]?.int ?? 1
        let vocab = try int("vocab_size"), maxPos = try int("max_position_embeddings")
        let sbert = try? readJSONFile(directory + "/sentence_bert_config.json")
        maxSeqLength = sbert?["max_seq_length"]?.int ?? 384
        tokenizer = try Tokenizer(path: directory + "/tokenizer.json")

        let ck = try Checkpoint(directory: directory)
        let prefix = ck.contains("embeddings.word_embeddings.weight") ? "" : "mpnet."
        func m(_ n: String, _ r: Int, _ c: Int) throws -> Matrix { Matrix(rows: r, cols: c, data: try ck.floats(prefix + n, shape: [r, c])) }
        func vec(_ n: String, _ c: Int) throws -> [Float] { try ck.floats(prefix + n, shape: [c]) }
        func lin(_ n: String, _ out: Int, _ inp: Int) throws -> Linear {
            Linear(weight: try m(n + ".weight", out, inp), bias: try vec(n + ".bias", out))
        }
        wordEmbeddings = try m("embeddings.word_embeddings.weight", vocab, h)
        positionEmbeddings = try m("embeddings.position_embeddings.weight", maxPos, h)
        embNormW = try vec("embeddings.LayerNorm.weight", h)
        embNormB = try vec("embeddings.LayerNorm.bias", h)
        relativeBias = try m("encoder.relative_attention_bias.weight", numBuckets, numHeads)
        self.layers = try (0..<layers).map { l in
            let p = "encoder.layer.\(l)."
            return Layer(q: try lin(p + "attention.attn.q", h, h), k: try lin(p + "attention.attn.k", h, h),
                         v: try lin(p + "attention.attn.v", h, h), o: try lin(p + "attention.attn.o", h, h),
                         attnNormW: try vec(p + "attention.LayerNorm.weight", h), attnNormB: try vec(p + "attention.LayerNorm.bias", h),
                         intermediate: try lin(p + "intermediate.dense", inter, h), output: try lin(p + "output.dense", h, inter),
                         outNormW: try vec(p + "output.LayerNorm.weight", h), outNormB: try vec(p + "output.LayerNorm.bias", h))
        }
    }

    /// Token ids as sentence-transformers feeds them: `<s> … </s>`, truncated to `maxSeqLength`.
    public func tokenize(_ text: String) -> [Int] { tokenizer.encode(text, maxLength: maxSeqLength) }

    /// Unit-length embeddings of `sentences` (each encoded without padding; identical to a padded batch).
    public func encode(_ sentences: [String]) -> [[Float]] {
        encode(ids: sentences.map(tokenize))
    }

    /// Unit-length embeddings of already tokenized sentences.
    public func encode(ids sequences: [[Int]]) -> [[Float]] {
        pooledEmbeddings(ids: sequences).map { v in
            var n: Float = 0
            for x in v { n += x * x }
            let inv = 1 / max(n.squareRoot(), 1e-12)
            return v.map { $0 * inv }
        }
    }

    /// Mean-pooled (not yet normalised) embeddings.
    public func pooledEmbeddings(ids sequences: [[Int]]) -> [[Float]] {
        let h = hiddenSize
        let lengths = sequences.map(\.count)
        // Embeddings: word + position (positions start at pad_id + 1), then LayerNorm.
        var x = Matrix(rows: lengths.reduce(0, +), cols: h)
        var r = 0
        for seq in sequences {
            for (t, id) in seq.enumerated() {
                let pos = padId + 1 + t
                for i in 0..<h { x.data[r * h + i] = wordEmbeddings.data[id * h + i] + positionEmbeddings.data[pos * h + i] }
                r += 1
            }
        }
        x = layerNorm(x, weight: embNormW, bias: embNormB, eps: eps)
        let biases = lengths.map(positionBias)
        for layer in layers {
            let attn = attention(layer, x, lengths: lengths, biases: biases)
            var a = layer.o(attn)
            addInPlace(&a, x)
            let attnOut = layerNorm(a, weight: layer.attnNormW, bias: layer.attnNormB, eps: eps)
            var mid = layer.intermediate(attnOut)
            geluInPlace(&mid)
            var out = layer.output(mid)
            addInPlace(&out, attnOut)
            x = layerNorm(out, weight: layer.outNormW, bias: layer.outNormB, eps: eps)
        }
        // Mean pooling.
        var start = 0
        return lengths.map { t in
            var v = [Float](repeating: 0, count: h)
            for row in start..<(start + t) { for i in 0..<h { v[i] += x.data[row * h + i] } }
            start += t
            return v.map { $0 / Float(max(t, 1)) }
        }
    }

    /// Bidirectional relative position bucket of `memory − context` (T5/MPNet), fp32 as the reference.
    func bucket(_ relative: Int, maxDistance: Int = 128) -> Int {
        let half = numBuckets / 2
        var ret = 0
        var n = -relative
        if n < 0 { ret += half }
        n = abs(n)
        let maxExact = half / 2
        if n < maxExact { return ret + n }
        let scaled = logf(Float(n) / Float(maxExact)) / Float(log(Double(maxDistance) / Double(maxExact))) * Float(half - maxExact)
        return ret + min(maxExact + Int(scaled), half - 1)
    }

    /// `[heads, T, T]` bias added to the attention scores.
    func positionBias(_ t: Int) -> [Float] {
        var out = [Float](repeating: 0, count: numHeads * t * t)
        for i in 0..<t {
            for j in 0..<t {
                let b = bucket(j - i)
                for hIdx in 0..<numHeads { out[(hIdx * t + i) * t + j] = relativeBias[b, hIdx] }
            }
        }
        return out
    }

    /// Bidirectional multi-head attention with the relative position bias, per sequence.
    func attention(_ layer: Layer, _ x: Matrix, lengths: [Int], biases: [[Float]]) -> Matrix {
        let h = hiddenSize, nh = numHeads, hd = h / nh
        let q = layer.q(x), k = layer.k(x), v = layer.v(x)
        var out = Matrix(rows: x.rows, cols: h)
        let scale = 1 / Float(hd).squareRoot()
        let maxT = lengths.max() ?? 0
        var scores = [Float](repeating: 0, count: maxT * maxT)
        var start = 0
        for (s, t) in lengths.enumerated() {
            for j in 0..<nh {
                q.data.withUnsafeBufferPointer { pq in
                    k.data.withUnsafeBufferPointer { pk in
                        scores.withUnsafeMutableBufferPointer { ps in
                            sgemm(transB: true, m: t, n: t, k: hd, alpha: scale,
                                  a: pq.baseAddress! + start * h + j * hd, lda: h,
                                  b: pk.baseAddress! + start * h + j * hd, ldb: h, c: ps.baseAddress!, ldc: t)
                            let bias = biases[s]
                            for i in 0..<t {
                                let row = ps.baseAddress! + i * t
                                for c in 0..<t { row[c] += bias[(j * t + i) * t + c] }
                                softmaxPrefix(row, valid: 0..<t, width: t)
                            }
                        }
                    }
                }
                v.data.withUnsafeBufferPointer { pv in
                    scores.withUnsafeBufferPointer { ps in
                        out.data.withUnsafeMutableBufferPointer { po in
                            sgemm(m: t, n: hd, k: t, a: ps.baseAddress!, lda: t, b: pv.baseAddress! + start * h + j * hd, ldb: h,
                                  c: po.baseAddress! + start * h + j * hd, ldc: h)
                        }
                    }
                }
            }
            start += t
        }
        return out
    }
}
