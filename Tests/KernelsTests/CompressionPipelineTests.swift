import Testing
@testable import Kernels

/// The whole pipeline on the tiny forward fixtures (hidden 64, intermediate 128, 2 layers): compress
/// with every method, write every output format, read it back with `loadDequantizedModel`, and check
/// shapes, 4-bit value sets, sparsity patterns and that the logits stay near the original's.
@Suite("CompressionPipeline")
struct CompressionPipelineTests {
    static let models = ["llama", "qwen2"]

    /// One compression case: a recipe and the loose bound on the logits' relative change.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var recipe: CompressionRecipe
        /// `‖L' − L‖ / ‖L‖` over the test sequences' logits. The fixtures are random-weight models:
        /// 4-bit g32 moves their logits by 0.26–0.39 of their size, pruning half of every linear by
        /// 0.69–1.04, so the bounds only catch a broken reload; perplexity on SmolLM2 is the real measure.
        var maxRelativeChange: Float
        var testDescription: String { name }
    }

    static func quantized(_ m: CompressionMethod, _ f: CheckpointFormat) -> Case {
        var r = CompressionRecipe(method: m)
        r.groupSize = 32
        r.format = f
        return Case(name: "\(m.rawValue) → \(f.rawValue)", recipe: r, maxRelativeChange: 0.5)
    }

    static func pruned(_ m: CompressionMethod, n: Int = 0, m4: Int = 0) -> Case {
        var r = CompressionRecipe(method: m)
        r.pruneN = n; r.pruneM = m4
        return Case(name: "\(m.rawValue) \(n == 0 ? "50%" : "\(n):\(m4)")", recipe: r, maxRelativeChange: 1.25)
    }

    static let quantCases: [Case] = [
        quantized(.rtn, .gptq), quantized(.rtn, .awq), quantized(.rtn, .compressedTensors),
        quantized(.gptq, .gptq), quantized(.gptq, .compressedTensors),
        quantized(.awq, .awq), quantized(.awq, .compressedTensors),
    ]
    static let pruneCases: [Case] = [
        pruned(.magnitude), pruned(.magnitude, n: 2, m4: 4), pruned(.wanda), pruned(.wanda, n: 2, m4: 4),
        pruned(.sparsegpt), pruned(.sparsegpt, n: 2, m4: 4),
    ]

    /// Eight seeded sequences of 32 token ids (vocab 256).
    static let calibration: [[Int]] = {
        var lcg = LCG(state: 7)
        return (0..<8).map { _ in (0..<32).map { _ in Int((lcg.next() + 1) * 127.99) } }
    }()
    static let probe: [[Int]] = [Array(calibration[0].prefix(16)), [1, 5, 9, 200, 3, 77, 42, 8, 8, 101]]

    /// Compresses fixture `model` with `c`, returning the original and the reloaded model.
    static func roundTrip(_ model: String, _ c: Case) throws -> (original: LlamaModel, reloaded: LlamaModel, dir: String) {
        let source = fixture("forward/" + model)
        let out = makeTempDir() + "/out"
        let summary = try compressCheckpoint(source: source, recipe: c.recipe, calibration: calibration, out: out)
        #expect(summary.files.contains("config.json"))
        #expect(summary.files.contains("model.safetensors"))
        let json = try readJSON(out + "/config.json")
        #expect(json["quantization_config"]?["quant_method"]?.string == expectedQuantMethod(c.recipe.outputFormat))
        return (try LlamaModel(directory: source), try loadDequantizedModel(directory: out), out)
    }

    static func expectedQuantMethod(_ f: CheckpointFormat) -> String? {
        switch f {
        case .dense: return nil
        case .gptq: return "gptq"
        case .awq: return "awq"
        case .compressedTensors: return "compressed-tensors"
        }
    }

    /// `‖L' − L‖ / ‖L‖` over the probe sequences.
    static func relativeLogitChange(_ a: LlamaModel, _ b: LlamaModel) -> Float {
        var num: Double = 0, den: Double = 0
        for (x, y) in zip(a.forward(probe), b.forward(probe)) {
            for (u, v) in zip(x.logits.data, y.logits.data) { num += Double((u - v) * (u - v)); den += Double(u * u) }
        }
        return Float((num / den).squareRoot())
    }

    /// `‖a − b‖ / ‖b‖`.
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        var num: Float = 0, den: Float = 0
        for (u, v) in zip(a, b) { num += (u - v) * (u - v); den += v * v }
        return (num / den).squareRoot()
    }

    static func expectSameShapes(_ a: LlamaModel, _ b: LlamaModel) {
        #expect(a.layers.count == b.layers.count)
        for (la, lb) in zip(a.layers, b.layers) {
            for k in LinearKind.allCases {
                #expect(la[k].weight.rows == lb[k].weight.rows && la[k].weight.cols == lb[k].weight.cols, "\(k)")
                #expect((la[k].bias == nil) == (lb[k].bias == nil), "\(k) bias")
            }
        }
        #expect(a.embedTokens.data == b.embedTokens.data)
    }

    @Test("quantized: shapes, ≤ 16 values per group, logits near the original", arguments: models, quantCases)
    func quantizedRoundTrip(model: String, c: Case) throws {
        let (original, reloaded, _) = try Self.roundTrip(model, c)
        Self.expectSameShapes(original, reloaded)
        let group = c.recipe.groupSize
        for (l, layer) in reloaded.layers.enumerated() {
            for k in LinearKind.allCases {
                let w = layer[k].weight
                var worst = 0
                for r in 0..<w.rows {
                    for g0 in stride(from: 0, to: w.cols, by: group) {
                        worst = max(worst, Set((g0..<min(w.cols, g0 + group)).map { w[r, $0] }).count)
                    }
                }
                #expect(worst <= 1 << c.recipe.bits, "layer \(l) \(k): \(worst) distinct values in one group")
                #expect(w.data != original.layers[l][k].weight.data, "layer \(l) \(k) unchanged")
                // AWQ stores W·diag(s) (the norms or the previous linear take 1/s): no direct comparison.
                if c.recipe.method != .awq {
                    let e = Self.relativeDifference(w.data, original.layers[l][k].weight.data)
                    #expect(e < 0.15, "layer \(l) \(k): weights moved by \(e) of their norm")
                }
            }
        }
        let change = Self.relativeLogitChange(original, reloaded)
        print("CompressionPipeline \(model) \(c.name): relative logit change \(change)")
        #expect(change < c.maxRelativeChange && change > 0)
    }

    @Test("pruned: shapes, sparsity or 2:4 pattern, logits near the original", arguments: models, pruneCases)
    func prunedRoundTrip(model: String, c: Case) throws {
        let (original, reloaded, _) = try Self.roundTrip(model, c)
        Self.expectSameShapes(original, reloaded)
        for (l, layer) in reloaded.layers.enumerated() {
            for k in LinearKind.allCases {
                let w = layer[k].weight
                let zeros = w.data.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
                #expect(Double(zeros) >= 0.5 * Double(w.data.count), "layer \(l) \(k): \(zeros)/\(w.data.count) zeros")
                if c.recipe.pruneM > 0 {
                    let m = c.recipe.pruneM, n = c.recipe.pruneN
                    var bad = 0
                    for r in 0..<w.rows {
                        for j0 in stride(from: 0, to: w.cols, by: m) where (j0..<(j0 + m)).filter({ w[r, $0] == 0 }).count < n { bad += 1 }
                    }
                    #expect(bad == 0, "layer \(l) \(k): \(bad) groups of \(m) with fewer than \(n) zeros")
                }
                // Surviving weights: unchanged for magnitude/Wanda, OBS-updated for SparseGPT.
                if c.recipe.method != .sparsegpt {
                    let o = original.layers[l][k].weight.data
                    #expect(zip(w.data, o).allSatisfy { $0 == 0 || $0 == $1 }, "layer \(l) \(k): kept weights changed")
                }
            }
        }
        let change = Self.relativeLogitChange(original, reloaded)
        print("CompressionPipeline \(model) \(c.name): relative logit change \(change)")
        #expect(change < c.maxRelativeChange && change > 0)
    }

    @Test("GPTQ and SparseGPT reproduce layer 0's q/k/v outputs on the calibration data better than RTN and magnitude")
    func calibrationHelps() throws {
        // Layer 0's q/k/v see the embeddings, the same in the original and the compressed model.
        let original = try LlamaModel(directory: fixture("forward/llama"))
        var x = original.embed(Self.calibration)
        var input = Matrix(rows: 0, cols: 0)
        original.runLayer(0, &x) { site, m in if site.kind == .q { input = m } }
        func outputError(_ c: Case) throws -> Float {
            let (_, reloaded, _) = try Self.roundTrip("llama", c)
            var num: Float = 0, den: Float = 0
            for k in [LinearKind.q, .k, .v] {
                let y = Linear(weight: original.layers[0][k].weight)(input), yc = Linear(weight: reloaded.layers[0][k].weight)(input)
                num += zip(y.data, yc.data).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                den += y.data.reduce(0) { $0 + $1 * $1 }
            }
            return (num / den).squareRoot()
        }
        let rtn = try outputError(Self.quantized(.rtn, .gptq)), gptq = try outputError(Self.quantized(.gptq, .gptq))
        let magnitude = try outputError(Self.pruned(.magnitude)), sparsegpt = try outputError(Self.pruned(.sparsegpt))
        print("CompressionPipeline llama layer-0 q/k/v output error: rtn \(rtn) gptq \(gptq) magnitude \(magnitude) sparsegpt \(sparsegpt)")
        #expect(gptq < rtn)
        #expect(sparsegpt < magnitude)
    }

    @Test("methods that need data refuse an empty calibration set")
    func calibrationRequired() throws {
        #expect(throws: CompressionError.self) {
            try compressCheckpoint(source: fixture("forward/llama"), recipe: CompressionRecipe(method: .gptq),
                                   calibration: [], out: makeTempDir() + "/out")
        }
    }
}
