/// Rotary position embedding parameters (kernels.md §1.3).
public struct RoPEConfig: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case standard
        /// Llama-3.1 frequency-dependent scaling.
        case llama3(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositions: Double)
    }
    public var theta: Double
    public var kind: Kind
}

/// The fields of an HF `config.json` the forward pass needs, for the Llama family (Llama, Mistral,
/// Qwen2, SmolLM2), plus the ones Gemma2, Phi-3 and InternLM2 variants would need (parsed, recorded,
/// not yet executed: `LlamaModel` rejects those architectures).
public struct ModelConfig: Sendable, Equatable {
    public var architecture: String
    public var modelType: String
    public var hiddenSize: Int
    public var numLayers: Int
    public var numHeads: Int
    public var numKVHeads: Int
    public var headDim: Int
    public var intermediateSize: Int
    public var vocabSize: Int
    public var rmsNormEps: Float
    public var tieWordEmbeddings: Bool
    public var hiddenAct: String
    /// q/k/v (and for Llama `attention_bias`, o_proj) biases.
    public var qkvBias: Bool
    public var oBias: Bool
    public var mlpBias: Bool
    /// Mistral: query i sees keys j with i − W < j ≤ i.
    public var slidingWindow: Int?
    public var rope: RoPEConfig
    public var maxPositionEmbeddings: Int?
    public var bosTokenId: Int?
    public var eosTokenIds: [Int]

    // Variant fields (Gemma2 / Phi-3 / InternLM2).
    /// Gemma2: attention scale is `query_pre_attn_scalar^-1/2` instead of `head_dim^-1/2`.
    public var queryPreAttnScalar: Double?
    /// Gemma2: `tanh` soft-capping of attention logits and final logits.
    public var attnLogitSoftcapping: Double?
    public var finalLogitSoftcapping: Double?
    /// Phi-3: fraction of the head dimension that is rotated.
    public var partialRotaryFactor: Double?
    /// The raw `rope_scaling`/`rope_parameters` type, kept for variants (e.g. Phi-3 "longrope").
    public var ropeTypeName: String

    /// Architectures `LlamaModel` runs.
    public static let supportedArchitectures: Set<String> = ["LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"]

    public init(json: JSON, path: String = "config.json") throws {
        func fail(_ m: String) -> ModelConfigError { ModelConfigError(path: path, message: m) }
        func int(_ k: String) throws -> Int {
            guard let v = json[k]?.int else { throw fail("missing or non-integer \"\(k)\"") }
            return v
        }
        func optInt(_ k: String) -> Int? { json[k]?.int }

        architecture = json["architectures"]?.array?.first?.string ?? ""
        modelType = json["model_type"]?.string ?? ""
        hiddenSize = try int("hidden_size")
        numLayers = try int("num_hidden_layers")
        numHeads = try int("num_attention_heads")
        numKVHeads = optInt("num_key_value_heads") ?? numHeads
        headDim = optInt("head_dim") ?? (numHeads > 0 ? hiddenSize / numHeads : 0)
        intermediateSize = try int("intermediate_size")
        vocabSize = try int("vocab_size")
        rmsNormEps = Float(json["rms_norm_eps"]?.double ?? json["layer_norm_eps"]?.double ?? 1e-6)
        tieWordEmbeddings = json["tie_word_embeddings"]?.bool ?? (modelType == "gemma2")
        hiddenAct = json["hidden_act"]?.string ?? json["hidden_activation"]?.string ?? "silu"
        let attentionBias = json["attention_bias"]?.bool ?? json["bias"]?.bool ?? false
        qkvBias = modelType == "qwen2" || attentionBias
        oBias = modelType != "qwen2" && attentionBias
        mlpBias = json["mlp_bias"]?.bool ?? false
        if modelType == "qwen2" {
            slidingWindow = (json["use_sliding_window"]?.bool ?? false) ? optInt("sliding_window") : nil
        } else {
            slidingWindow = optInt("sliding_window")
        }
        maxPositionEmbeddings = optInt("max_position_embeddings")
        bosTokenId = optInt("bos_token_id")
        if let a = json["eos_token_id"]?.array { eosTokenIds = a.compactMap(\.int) }
        else { eosTokenIds = optInt("eos_token_id").map { [$0] } ?? [] }
        queryPreAttnScalar = json["query_pre_attn_scalar"]?.double
        attnLogitSoftcapping = json["attn_logit_softcapping"]?.double
        finalLogitSoftcapping = json["final_logit_softcapping"]?.double
        partialRotaryFactor = json["partial_rotary_factor"]?.double

        // RoPE: transformers-5 `rope_parameters`, or the older `rope_theta` + `rope_scaling`.
        let params: JSON?
        let theta: Double
        if let p = json["rope_parameters"], p.object != nil {
            params = p
            theta = p["rope_theta"]?.double ?? json["rope_theta"]?.double ?? 10000
        } else {
            params = json["rope_scaling"].flatMap { $0.isNull ? nil : $0 }
            theta = json["rope_theta"]?.double ?? 10000
        }
        let type = params?["rope_type"]?.string ?? params?["type"]?.string ?? "default"
        ropeTypeName = type
        switch type {
        case "default":
            rope = RoPEConfig(theta: theta, kind: .standard)
        case "llama3":
            guard let p = params, let f = p["factor"]?.double, let lo = p["low_freq_factor"]?.double,
                  let hi = p["high_freq_factor"]?.double, let n0 = p["original_max_position_embeddings"]?.double else {
                throw fail("llama3 rope scaling needs factor, low_freq_factor, high_freq_factor, original_max_position_embeddings")
            }
            rope = RoPEConfig(theta: theta, kind: .llama3(factor: f, lowFreqFactor: lo, highFreqFactor: hi, originalMaxPositions: n0))
        default:
            // Recorded for variants; LlamaModel rejects it.
            rope = RoPEConfig(theta: theta, kind: .standard)
        }
        guard hiddenSize > 0, numLayers >= 0, numHeads > 0, numKVHeads > 0, numHeads % numKVHeads == 0, headDim > 0,
              headDim % 2 == 0 else {
            throw fail("inconsistent sizes: hidden \(hiddenSize), heads \(numHeads), kv heads \(numKVHeads), head_dim \(headDim)")
        }
    }

    /// Reads `config.json` in `directory`.
    public init(directory: String) throws {
        let path = directory + "/config.json"
        try self.init(json: try readJSONFile(path), path: path)
    }

    /// Throws unless the Llama-family forward pass can run this configuration.
    public func checkSupported() throws {
        func fail(_ m: String) -> ModelConfigError { ModelConfigError(path: "config.json", message: m) }
        guard Self.supportedArchitectures.contains(architecture) else {
            throw fail("architecture \"\(architecture)\" is not supported (supported: \(Self.supportedArchitectures.sorted().joined(separator: ", ")))")
        }
        guard ropeTypeName == "default" || ropeTypeName == "llama3" else {
            throw fail("rope type \"\(ropeTypeName)\" is not supported (default, llama3)")
        }
        guard hiddenAct == "silu" else { throw fail("hidden_act \"\(hiddenAct)\" is not supported (silu)") }
    }
}

public struct ModelConfigError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
