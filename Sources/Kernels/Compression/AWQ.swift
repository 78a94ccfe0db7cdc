#if canImport(Glibc)
import Glibc
#endif

/// AWQ options (mit-han-lab/llm-awq `run_awq`: w_bit 4, group 128, zero point, n_grid 20; kernels.md §3.7).
public struct AWQOptions: Sendable, Codable, Equatable {
    public var bits = 4
    public var groupSize = 128
    public var nGrid = 20
    public var maxShrink: Float = 0.5
    /// Tokens the clip search keeps (every `n_tok / 512`-th).
    public var sampleTokens = 512
    public var searchScales = true
    public var searchClip = true
    public init(bits: Int = 4, groupSize: Int = 128, nGrid: Int = 20, maxShrink: Float = 0.5, sampleTokens: Int = 512,
                searchScales: Bool = true, searchClip: Bool = true) {
        self.bits = bits; self.groupSize = groupSize; self.nGrid = nGrid; self.maxShrink = maxShrink
        self.sampleTokens = sampleTokens; self.searchScales = searchScales; self.searchClip = searchClip
    }
}

/// One searched scale group: `prev` (a norm or a linear) is divided by `scales`, `linears` multiplied.
public struct AWQScaleGroup: Sendable {
    public var prev: String
    public var linears: [LinearKind]
    public var xMean: [Float]
    public var ratio: Float
    public var scales: [Float]
}

/// What AWQ chose for one layer.
public struct AWQLayerReport: Sendable {
    public var groups: [AWQScaleGroup] = []
    /// Clip thresholds `[out, groups]` per clipped linear, in module order.
    public var clips: [(LinearKind, Matrix)] = []
}

/// AWQ's search on one decoder layer whose FP input is `x`: caches the inputs of the seven linears in
/// one FP pass (whose output becomes `x`, the next layer's input), searches the per-channel scales of
/// the four groups on the original weights, applies them, then searches and applies the clip
/// thresholds. Returns the scaled and clipped layer, not yet quantized (quantize it with `.awq`).
public func awqSearchLayer(model: LlamaModel, layer: DecoderLayer, x: inout Activations,
                           options o: AWQOptions = AWQOptions()) throws -> (layer: DecoderLayer, report: AWQLayerReport) {
    var shell = model
    shell.layers = [layer]
    var inputs: [LinearKind: Matrix] = [:]
    shell.runLayer(0, &x) { site, input in inputs[site.kind] = input }
    let lengths = x.lengths
    var report = AWQLayerReport()
    var out = layer
    let fq: (Matrix) throws -> Matrix = { try fakeQuantize($0, bits: o.bits, groupSize: o.groupSize, kind: .awq) }

    if o.searchScales {
        // Search every group on the unmodified layer.
        func search(_ prev: String, _ linears: [LinearKind], _ input: Matrix, _ block: (DecoderLayer) -> Matrix) throws -> AWQScaleGroup {
            let xMean = meanAbsPerColumn(input)
            let orgOut = block(layer)
            var best = Double.infinity, bestRatio: Float = -1, bestScales: [Float] = []
            for r in 0..<o.nGrid {
                let ratio = Float(Double(r) / Double(o.nGrid))
                var s = xMean.map { max(ratio == 0.5 ? sqrtf($0) : powf($0, ratio), 1e-4) }
                let norm = sqrtf(s.max()! * s.min()!)
                s = s.map { $0 / norm }
                var trial = layer
                for k in linears {
                    var w = scaleColumns(trial[k].weight, s)
                    w = try fq(w)
                    trial[k].weight = divideColumns(w, s)
                }
                let loss = meanSquaredError(orgOut, block(trial))
                if loss < best { best = loss; bestRatio = ratio; bestScales = s }
            }
            guard bestRatio >= 0 else { throw CompressionError.numerical("AWQ: no finite loss for \(prev) (non-finite activations?)") }
            return AWQScaleGroup(prev: prev, linears: linears, xMean: xMean, ratio: bestRatio, scales: bestScales)
        }
        report.groups.append(try search("input_layernorm", [.q, .k, .v], inputs[.q]!) { model.attentionBlock($0, inputs[.q]!, lengths: lengths) })
        if layer.v.weight.rows == layer.o.weight.rows && layer.v.weight.cols == layer.o.weight.cols {
            report.groups.append(try search("self_attn.v_proj", [.o], inputs[.o]!) { $0.o(inputs[.o]!) })
        }
        report.groups.append(try search("post_attention_layernorm", [.gate, .up], inputs[.gate]!) { model.mlpBlock($0, inputs[.gate]!) })
        report.groups.append(try search("mlp.up_proj", [.down], inputs[.down]!) { $0.down(inputs[.down]!) })

        // Apply them in order: prev op divided, scaled linears and their cached inputs multiplied / divided.
        for g in report.groups {
            let s = g.scales
            switch g.prev {
            case "input_layernorm": out.inputNorm = zip(out.inputNorm, s).map { $0 / $1 }
            case "post_attention_layernorm": out.postAttentionNorm = zip(out.postAttentionNorm, s).map { $0 / $1 }
            case "self_attn.v_proj": out.v = divideLastRows(out.v, s)
            case "mlp.up_proj": out.up = divideLastRows(out.up, s)
            default: break
            }
            for k in g.linears {
                out[k].weight = scaleColumns(out[k].weight, s)
                inputs[k] = divideColumns(inputs[k]!, s)
            }
        }
    }

    if o.searchClip {
        for k in LinearKind.allCases where k != .q && k != .k {
            let maxVal = try awqClipSearch(out[k].weight, input: inputs[k]!, options: o)
            report.clips.append((k, maxVal))
            out[k].weight = clampGroups(out[k].weight, maxVal)
        }
    }
    return (out, report)
}

/// AWQ's clip search for one linear: per (row, group) the `max|w|·(1 − i/20)`, i < 10, whose
/// quantized group output on the sampled tokens has the smallest mean squared error. `[out, groups]`.
public func awqClipSearch(_ w: Matrix, input x: Matrix, options o: AWQOptions = AWQOptions()) throws -> Matrix {
    let g = try resolvedGroupSize(o.groupSize, cols: w.cols)
    let groups = w.cols / g, rows = w.rows
    let step = max(1, x.rows / o.sampleTokens)
    let tokens = stride(from: 0, to: x.rows, by: step).map { $0 }
    let t = tokens.count
    var best = Matrix(rows: rows, cols: groups)
    for gi in 0..<groups {
        // Xg [t, g] and Wg [rows, g].
        var xg = Matrix(rows: t, cols: g)
        for (i, tok) in tokens.enumerated() { for c in 0..<g { xg[i, c] = x[tok, gi * g + c] } }
        let wg = Matrix(rows: rows, cols: g) { w[$0, gi * g + $1] }
        let orgOut = matmul(xg, wg, transB: true)   // [t, rows]
        let orgMax = (0..<rows).map { r in (0..<g).reduce(Float(0)) { max($0, abs(wg[r, $1])) } }
        var minErr = [Double](repeating: 1e9, count: rows)
        for r in 0..<rows { best[r, gi] = orgMax[r] }
        for i in 0..<Int(o.maxShrink * Float(o.nGrid)) {
            let factor = Float(1 - Double(i) / Double(o.nGrid))
            let maxVal = orgMax.map { $0 * factor }
            var qw = Matrix(rows: rows, cols: g) { min(max(wg[$0, $1], -maxVal[$0]), maxVal[$0]) }
            qw = try fakeQuantize(qw, bits: o.bits, groupSize: g, kind: .awq)
            let cur = matmul(xg, qw, transB: true)
            for r in 0..<rows {
                var e: Double = 0
                for k in 0..<t { let d = Double(cur[k, r] - orgOut[k, r]); e += d * d }
                e /= Double(t)
                if e < minErr[r] { minErr[r] = e; best[r, gi] = maxVal[r] }
            }
        }
    }
    return best
}

/// `w[:, c] · s[c]`.
func scaleColumns(_ w: Matrix, _ s: [Float]) -> Matrix {
    var out = w
    for r in 0..<w.rows { for c in 0..<w.cols { out.data[r * w.cols + c] *= s[c] } }
    return out
}

/// `w[:, c] / s[c]`.
func divideColumns(_ w: Matrix, _ s: [Float]) -> Matrix {
    var out = w
    for r in 0..<w.rows { for c in 0..<w.cols { out.data[r * w.cols + c] /= s[c] } }
    return out
}

/// The last `s.count` output rows (and bias entries) of a linear divided by `s`.
func divideLastRows(_ l: Linear, _ s: [Float]) -> Linear {
    var out = l
    let first = l.weight.rows - s.count
    for (i, v) in s.enumerated() {
        for c in 0..<l.weight.cols { out.weight[first + i, c] /= v }
    }
    if var b = out.bias { for (i, v) in s.enumerated() { b[i] /= v }; out.bias = b }
    return out
}

/// Each (row, group) of `w` clamped to `±maxVal[row, group]`.
func clampGroups(_ w: Matrix, _ maxVal: Matrix) -> Matrix {
    let g = w.cols / maxVal.cols
    return Matrix(rows: w.rows, cols: w.cols) { r, c in
        let m = maxVal[r, c / g]
        return min(max(w[r, c], -m), m)
    }
}
