/// The weights of one decoder layer.
public struct DecoderLayer: Sendable {
    public var inputNorm: [Float]
    public var q: Linear, k: Linear, v: Linear, o: Linear
    public var postAttentionNorm: [Float]
    public var gate: Linear, up: Linear, down: Linear

    /// The linear called `kind`.
    public subscript(kind: LinearKind) -> Linear {
        get {
            switch kind {
            case .q: return q
            case .k: return k
            case .v: return v
            case .o: return o
            case .gate: return gate
            case .up: return up
            case .down: return down
            }
        }
        set {
            switch kind {
            case .q: q = newValue
            case .k: k = newValue
            case .v: v = newValue
            case .o: o = newValue
            case .gate: gate = newValue
            case .up: up = newValue
            case .down: down = newValue
            }
        }
    }
}

/// The seven linears of a Llama block, named as in HF checkpoints.
public enum LinearKind: String, Sendable, CaseIterable {
    case q = "self_attn.q_proj", k = "self_attn.k_proj", v = "self_attn.v_proj", o = "self_attn.o_proj"
    case gate = "mlp.gate_proj", up = "mlp.up_proj", down = "mlp.down_proj"
}

/// A Llama-family causal LM (Llama, Mistral, Qwen2, SmolLM2) in fp32 (kernels.md §1).
///
/// A value type: a compression pass may copy it and replace layer weights. Every method blocks its
/// thread in OpenBLAS for the duration of the products; call from a dedicated thread, not from
/// Swift's cooperative pool (`swift-stack.md` §5.6).
public struct LlamaModel: Sendable {
    public let config: ModelConfig
    /// `[V, H]`
    public var embedTokens: Matrix
    public var layers: [DecoderLayer]
    public var finalNorm: [Float]
    /// `[V, H]`; nil when the embeddings are tied.
    public var lmHead: Matrix?
    public let rope: RoPE

    /// Loads `config.json` and the safetensors weights of an HF model folder (bf16/fp16 upcast exactly).
    public init(directory: String) throws {
        let config = try ModelConfig(directory: directory)
        try self.init(config: config, checkpoint: try Checkpoint(directory: directory))
    }

    public init(config: ModelConfig, checkpoint ck: Checkpoint) throws {
        try config.checkSupported()
        self.config = config
        let h = config.hiddenSize, hd = config.headDim
        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> Matrix {
            Matrix(rows: rows, cols: cols, data: try ck.floats(name, shape: [rows, cols]))
        }
        func linear(_ prefix: String, out: Int, in n: Int, bias: Bool) throws -> Linear {
            Linear(weight: try matrix(prefix + ".weight", out, n),
                   bias: bias ? try ck.floats(prefix + ".bias", shape: [out]) : nil)
        }
        embedTokens = try matrix("model.embed_tokens.weight", config.vocabSize, h)
        layers = try (0..<config.numLayers).map { l in
            let p = "model.layers.\(l)."
            return DecoderLayer(
                inputNorm: try ck.floats(p + "input_layernorm.weight", shape: [h]),
                q: try linear(p + "self_attn.q_proj", out: config.numHeads * hd, in: h, bias: config.qkvBias),
                k: try linear(p + "self_attn.k_proj", out: config.numKVHeads * hd, in: h, bias: config.qkvBias),
                v: try linear(p + "self_attn.v_proj", out: config.numKVHeads * hd, in: h, bias: config.qkvBias),
                o: try linear(p + "self_attn.o_proj", out: h, in: config.numHeads * hd, bias: config.oBias),
                postAttentionNorm: try ck.floats(p + "post_attention_layernorm.weight", shape: [h]),
                gate: try linear(p + "mlp.gate_proj", out: config.intermediateSize, in: h, bias: config.mlpBias),
                up: try linear(p + "mlp.up_proj", out: config.intermediateSize, in: h, bias: config.mlpBias),
                down: try linear(p + "mlp.down_proj", out: h, in: config.intermediateSize, bias: config.mlpBias))
        }
        finalNorm = try ck.floats("model.norm.weight", shape: [h])
        if config.tieWordEmbeddings && !ck.contains("lm_head.weight") {
            lmHead = nil
        } else {
            lmHead = try matrix("lm_head.weight", config.vocabSize, h)
        }
        rope = RoPE(config: config.rope, headDim: hd)
    }

    /// The output projection (`lm_head`, or the embeddings when tied).
    public var outputWeights: Matrix { lmHead ?? embedTokens }
}

/// Hidden states of a batch of sequences stacked row-wise: rows `offsets[s] ..< offsets[s] + lengths[s]`
/// belong to sequence `s`, at positions `0 ..< lengths[s]`.
public struct Activations: Sendable {
    public var hidden: Matrix
    public let lengths: [Int]
    public var offsets: [Int] { var o = [0]; for l in lengths.dropLast() { o.append(o.last! + l) }; return o }
    /// Position of each row.
    public var positions: [Int] { lengths.flatMap { 0..<$0 } }

    /// The rows of sequence `s`.
    public func sequence(_ s: Int) -> Matrix {
        let start = offsets[s], h = hidden.cols
        return Matrix(rows: lengths[s], cols: h, data: Array(hidden.data[(start * h)..<((start + lengths[s]) * h)]))
    }
}

/// Where a calibration hook is called: the input of linear `kind` in layer `layer`.
public struct LinearSite: Sendable, Hashable {
    public let layer: Int
    public let kind: LinearKind
}

/// Called with the input of each linear (rows stacked as in `Activations`); may replace it in place.
/// q, k and v receive separate copies of the same normalized input, as do gate and up.
public typealias LinearInputHook = (LinearSite, inout Matrix) -> Void

/// Intermediates of one layer, recorded on request (for tests and inspection).
public struct LayerTrace: Sendable {
    public var inputNorm = Matrix(rows: 0, cols: 0)
    public var qProj = Matrix(rows: 0, cols: 0), kProj = Matrix(rows: 0, cols: 0), vProj = Matrix(rows: 0, cols: 0)
    /// After RoPE, `[tokens, heads·hd]`.
    public var qRope = Matrix(rows: 0, cols: 0), kRope = Matrix(rows: 0, cols: 0)
    /// Per sequence, per head: `[T, T]` probabilities.
    public var attentionProbs: [[Matrix]] = []
    public var oProj = Matrix(rows: 0, cols: 0)
    public var postAttentionNorm = Matrix(rows: 0, cols: 0)
    public var mlp = Matrix(rows: 0, cols: 0)
    public init() {}
}
