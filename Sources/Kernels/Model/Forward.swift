/// Full-model outputs for one sequence.
public struct ForwardOutput: Sendable {
    /// `[T, V]`
    public let logits: Matrix
    /// Embedding rows (input of layer 0), `[T, H]`; only when hidden states were requested.
    public let embeddings: Matrix?
    /// Residual stream after each layer, each `[T, H]`; empty unless requested.
    public let layerOutputs: [Matrix]
    /// Output of the final norm, `[T, H]`; only when requested.
    public let finalNorm: Matrix?
}

extension LlamaModel {
    // MARK: API 1: full logits for a batch

    /// Logits (and, with `hiddenStates`, the residual stream) of each sequence, positions 0..T−1, no padding.
    public func forward(_ sequences: [[Int]], hiddenStates: Bool = false) -> [ForwardOutput] {
        var x = embed(sequences)
        let embeddings = hiddenStates ? (0..<sequences.count).map { x.sequence($0) } : []
        var perLayer: [[Matrix]] = Array(repeating: [], count: sequences.count)
        for l in 0..<layers.count {
            runLayer(l, &x)
            if hiddenStates { for s in 0..<sequences.count { perLayer[s].append(x.sequence(s)) } }
        }
        let normed = Activations(hidden: rmsNorm(x.hidden, weight: finalNorm, eps: config.rmsNormEps), lengths: x.lengths)
        return (0..<sequences.count).map { s in
            let h = normed.sequence(s)
            return ForwardOutput(logits: logits(h), embeddings: hiddenStates ? embeddings[s] : nil,
                                 layerOutputs: perLayer[s], finalNorm: hiddenStates ? h : nil)
        }
    }

    // MARK: API 2: layer by layer

    /// Embedding rows of the sequences, stacked.
    public func embed(_ sequences: [[Int]]) -> Activations {
        let h = config.hiddenSize
        let total = sequences.reduce(0) { $0 + $1.count }
        var m = Matrix(rows: total, cols: h)
        var r = 0
        for seq in sequences {
            for id in seq {
                precondition(id >= 0 && id < config.vocabSize, "token id \(id) outside the vocabulary (\(config.vocabSize))")
                m.data.replaceSubrange((r * h)..<((r + 1) * h), with: embedTokens.data[(id * h)..<((id + 1) * h)])
                r += 1
            }
        }
        return Activations(hidden: m, lengths: sequences.map(\.count))
    }

    /// Runs decoder layer `l` on `x` in place. `hook` sees (and may replace) the input of every linear.
    public func runLayer(_ l: Int, _ x: inout Activations, hook: LinearInputHook? = nil) {
        runLayer(l, &x, hook: hook, tracePointer: nil)
    }

    /// As `runLayer(_:_:hook:)`, recording the layer's intermediates in `trace`.
    public func runLayer(_ l: Int, _ x: inout Activations, hook: LinearInputHook? = nil, trace: inout LayerTrace) {
        withUnsafeMutablePointer(to: &trace) { runLayer(l, &x, hook: hook, tracePointer: $0) }
    }

    private func runLayer(_ l: Int, _ x: inout Activations, hook: LinearInputHook?, tracePointer trace: UnsafeMutablePointer<LayerTrace>?) {
        let layer = layers[l]
        let nh = config.numHeads, nkv = config.numKVHeads
        func project(_ kind: LinearKind, _ input: Matrix) -> Matrix {
            guard let hook else { return layer[kind](input) }
            var copy = input
            hook(LinearSite(layer: l, kind: kind), &copy)
            return layer[kind](copy)
        }
        // Attention block.
        let a = rmsNorm(x.hidden, weight: layer.inputNorm, eps: config.rmsNormEps)
        var q = project(.q, a), k = project(.k, a)
        let v = project(.v, a)
        trace?.pointee.inputNorm = a
        trace?.pointee.qProj = q; trace?.pointee.kProj = k; trace?.pointee.vProj = v
        let positions = x.positions
        let (cos, sin) = rope.tables(count: (x.lengths.max() ?? 0))
        rope.apply(&q, heads: nh, positions: positions, cos: cos, sin: sin)
        rope.apply(&k, heads: nkv, positions: positions, cos: cos, sin: sin)
        trace?.pointee.qRope = q; trace?.pointee.kRope = k
        let attn = attention(q: q, k: k, v: v, lengths: x.lengths, probs: trace.map { _ in [] })
        var attnOut = attn.output
        if let t = trace { t.pointee.attentionProbs = attn.probs ?? [] }
        let o = project(.o, attnOut)
        attnOut = Matrix(rows: 0, cols: 0)
        trace?.pointee.oProj = o
        addInPlace(&x.hidden, o)
        // MLP block.
        let m = rmsNorm(x.hidden, weight: layer.postAttentionNorm, eps: config.rmsNormEps)
        trace?.pointee.postAttentionNorm = m
        let act = siluMul(project(.gate, m), project(.up, m))
        let d = project(.down, act)
        trace?.pointee.mlp = d
        addInPlace(&x.hidden, d)
    }

    /// Final norm then the output projection of `x`, per sequence.
    public func head(_ x: Activations) -> [Matrix] {
        let normed = Activations(hidden: rmsNorm(x.hidden, weight: finalNorm, eps: config.rmsNormEps), lengths: x.lengths)
        return (0..<x.lengths.count).map { logits(normed.sequence($0)) }
    }

    /// `h · Wlmᵀ` for final-normed rows `h [T, H]`.
    public func logits(_ h: Matrix) -> Matrix { Linear(weight: outputWeights)(h) }
}
