/// The compression algorithms (names as in sweeps: `MethodSpec.algorithm`).
public enum CompressionMethod: String, Sendable, Codable, CaseIterable {
    case rtn, gptq, awq, magnitude, wanda, sparsegpt
}

/// One compression run's parameters, with the references' defaults.
public struct CompressionRecipe: Sendable, Codable, Equatable {
    public var method: CompressionMethod
    public var bits = 4
    /// Columns per quantization group; −1 per row. SmolLM2 (hidden 576) needs 64.
    public var groupSize = 128
    public var symmetric = true
    public var actOrder = false
    public var percDamp: Float = 0.01
    public var blockSize = 128
    public var sparsity: Float = 0.5
    /// N:M pattern (2:4) for pruning; 0:0 for unstructured.
    public var pruneN = 0, pruneM = 0
    /// GPTQ's `[k,v,q] [o] [up,gate] [down]` order (default on for GPTQ; SparseGPT as Wanda's repo runs
    /// it: all seven linears from one pass).
    public var trueSequential: Bool? = nil
    /// Output format; nil picks GPTQ for RTN/GPTQ, AWQ for AWQ, dense for pruning.
    public var format: CheckpointFormat? = nil

    public init(method: CompressionMethod) { self.method = method }

    public var quantizes: Bool { method == .rtn || method == .gptq || method == .awq }
    public var needsCalibration: Bool { method == .gptq || method == .awq || method == .wanda || method == .sparsegpt }
    public var outputFormat: CheckpointFormat { format ?? (quantizes ? (method == .awq ? .awq : .gptq) : .dense) }
    public var sequential: Bool { trueSequential ?? (method == .gptq) }

    /// The quantizer whose codes the checkpoint stores.
    public var quantizerKind: QuantizerKind {
        switch method {
        case .awq: return .awq
        case .rtn: return outputFormat == .compressedTensors ? .compressedTensors : (outputFormat == .awq ? .awq : .gptq)
        default: return .gptq
        }
    }

    /// The calibration defaults ACBench used for this method (kernels.md §3.7–3.8).
    public func defaultCalibration(path: String) -> CalibrationSpec {
        method == .awq ? CalibrationSpec(path: path, samples: 128, seqLen: 512, seed: 42)
                       : CalibrationSpec(path: path, samples: 128, seqLen: 2048, seed: 0)
    }

    /// Checks the combination before any work starts.
    public func validate() throws {
        guard bits == 4 else { throw CompressionError.badParameter("bits = \(bits): only 4-bit checkpoints are written") }
        guard sparsity > 0 && sparsity < 1 else { throw CompressionError.badParameter("sparsity = \(sparsity): expected 0 < s < 1") }
        if pruneN != 0 || pruneM != 0 {
            guard pruneN > 0 && pruneM > pruneN else { throw CompressionError.badParameter("pattern \(pruneN):\(pruneM) is not N:M with 0 < N < M") }
        }
        switch (quantizes, outputFormat) {
        case (true, .dense), (false, .dense): break
        case (false, _): throw CompressionError.badParameter("\(method.rawValue) prunes: it writes dense checkpoints only")
        case (true, .gptq):
            if !symmetric && method != .gptq && method != .rtn { throw CompressionError.badParameter("GPTQ format needs GPTQ-quantizer codes") }
            if method == .awq { throw CompressionError.badParameter("AWQ writes the AWQ or compressed-tensors format") }
            if actOrder { throw CompressionError.badParameter("act-order GPTQ (desc_act) is refused by vLLM's CPU build; write it without act-order") }
        case (true, .awq), (true, .compressedTensors):
            if actOrder { throw CompressionError.badParameter("act-order is only written in the GPTQ format") }
        }
        if method == .awq && symmetric == false { /* AWQ is always zero-point */ }
    }

    /// Stable `key=value` description (manifest, logs).
    public var summary: String {
        var parts = ["method=\(method.rawValue)", "format=\(outputFormat.rawValue)"]
        if quantizes { parts += ["bits=\(bits)", "group_size=\(groupSize)", "sym=\(method == .awq ? false : symmetric)"] }
        if method == .gptq { parts += ["act_order=\(actOrder)", "damp=\(percDamp)", "block=\(blockSize)", "true_sequential=\(sequential)"] }
        if !quantizes { parts += ["sparsity=\(sparsity)", "pattern=\(pruneN):\(pruneM)"] }
        if method == .sparsegpt { parts += ["damp=\(percDamp)", "block=\(blockSize)"] }
        return parts.joined(separator: " ")
    }
}
