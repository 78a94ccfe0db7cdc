// Layer-at-a-time access to a checkpoint and the sub-blocks of a decoder layer, for calibration:
// only the layer being compressed is held in fp32 (kernels.md §3.8; issue 5 memory rule).

extension LlamaModel {
    /// A model with the config and RoPE tables of `config` and no weights: layers are loaded one at a
    /// time with `loadDecoderLayer` and run as `layers = [layer]; runLayer(0, …)`.
    public init(shell config: ModelConfig) throws {
        try config.checkSupported()
        self.config = config
        embedTokens = Matrix(rows: 0, cols: 0)
        layers = []
        finalNorm = []
        lmHead = nil
        rope = RoPE(config: config.rope, headDim: config.headDim)
    }

    /// Builds a full model from a tensor source (used to load dequantized checkpoints).
    public init(config: ModelConfig, tensor: (String, [Int]) throws -> [Float], has: (String) -> Bool) throws {
        try self.init(shell: config)
        let h = config.hiddenSize
        embedTokens = Matrix(rows: config.vocabSize, cols: h, data: try tensor("model.embed_tokens.weight", [config.vocabSize, h]))
        layers = try (0..<config.numLayers).map { try loadDecoderLayer(config: config, layer: $0, tensor: tensor) }
        finalNorm = try tensor("model.norm.weight", [h])
        if config.tieWordEmbeddings && !has("lm_head.weight") { lmHead = nil } else {
            lmHead = Matrix(rows: config.vocabSize, cols: h, data: try tensor("lm_head.weight", [config.vocabSize, h]))
        }
    }

    /// `o_proj(attention(q(a), k(a), v(a)))` for normalized input `a` (the block AWQ inspects for q/k/v).
    public func attentionBlock(_ layer: DecoderLayer, _ a: Matrix, lengths: [Int]) -> Matrix {
        var q = layer.q(a), k = layer.k(a)
        let v = layer.v(a)
        var positions: [Int] = []
        for t in lengths { positions += 0..<t }
        let (cos, sin) = rope.tables(count: lengths.max() ?? 0)
        rope.apply(&q, heads: config.numHeads, positions: positions, cos: cos, sin: sin)
        rope.apply(&k, heads: config.numKVHeads, positions: positions, cos: cos, sin: sin)
        return layer.o(attention(q: q, k: k, v: v, lengths: lengths, probs: nil).output)
    }

    /// `down(silu(gate(m)) ⊙ up(m))` for normalized input `m`.
    public func mlpBlock(_ layer: DecoderLayer, _ m: Matrix) -> Matrix {
        layer.down(siluMul(layer.gate(m), layer.up(m)))
    }
}

/// Decoder layer `l` read from a tensor source as fp32.
public func loadDecoderLayer(config: ModelConfig, layer l: Int, tensor: (String, [Int]) throws -> [Float]) throws -> DecoderLayer {
    let h = config.hiddenSize, hd = config.headDim, p = "model.layers.\(l)."
    func linear(_ name: String, out: Int, in n: Int, bias: Bool) throws -> Linear {
        Linear(weight: Matrix(rows: out, cols: n, data: try tensor(p + name + ".weight", [out, n])),
               bias: bias ? try tensor(p + name + ".bias", [out]) : nil)
    }
    return DecoderLayer(
        inputNorm: try tensor(p + "input_layernorm.weight", [h]),
        q: try linear("self_attn.q_proj", out: config.numHeads * hd, in: h, bias: config.qkvBias),
        k: try linear("self_attn.k_proj", out: config.numKVHeads * hd, in: h, bias: config.qkvBias),
        v: try linear("self_attn.v_proj", out: config.numKVHeads * hd, in: h, bias: config.qkvBias),
        o: try linear("self_attn.o_proj", out: h, in: config.numHeads * hd, bias: config.oBias),
        postAttentionNorm: try tensor(p + "post_attention_layernorm.weight", [h]),
        gate: try linear("mlp.gate_proj", out: config.intermediateSize, in: h, bias: config.mlpBias),
        up: try linear("mlp.up_proj", out: config.intermediateSize, in: h, bias: config.mlpBias),
        down: try linear("mlp.down_proj", out: h, in: config.intermediateSize, bias: config.mlpBias))
}

extension Checkpoint {
    /// A tensor source over this checkpoint: fp32 values checked against a shape.
    public var tensorSource: (String, [Int]) throws -> [Float] { { try self.floats($0, shape: $1) } }
}

/// Mean over rows of `|x|` per column (AWQ's `get_act_scale`).
func meanAbsPerColumn(_ x: Matrix) -> [Float] {
    var s = [Double](repeating: 0, count: x.cols)
    x.data.withUnsafeBufferPointer { p in
        for r in 0..<x.rows { for c in 0..<x.cols { s[c] += Double(abs(p[r * x.cols + c])) } }
    }
    return s.map { Float($0 / Double(x.rows)) }
}

/// `mean((a − b)²)` over all elements, accumulated in float64.
func meanSquaredError(_ a: Matrix, _ b: Matrix) -> Double {
    var s: Double = 0
    for i in 0..<a.data.count { let d = Double(a.data[i] - b.data[i]); s += d * d }
    return s / Double(max(1, a.data.count))
}
