import Testing
@testable import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// `[T, heads·hd]` → `[heads, T, hd]` (the reference layout of q/k after RoPE).
func headsFirst(_ m: Matrix, heads: Int) -> [Float] {
    let hd = m.cols / heads
    var out = [Float](repeating: 0, count: m.data.count)
    for t in 0..<m.rows { for h in 0..<heads { for i in 0..<hd { out[(h * m.rows + t) * hd + i] = m[t, h * hd + i] } } }
    return out
}

/// Tiny models' logits and every intermediate against transformers (fixtures/kernels/forward/*).
@Suite("ForwardConformance")
struct ForwardConformanceTests {
    static let models: [String] = {
        let root = fixture("forward")
        guard let d = opendir(root) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if !name.hasPrefix("."), fileExists(root + "/" + name + "/reference.safetensors") { names.append(name) }
        }
        return names.sorted()
    }()

    @Test func everyModelIsFound() { #expect(Self.models.count >= 4, "\(Self.models)") }

    @Test(arguments: models)
    func tinyModel(name: String) throws {
        let dir = fixture("forward/" + name)
        let model = try LlamaModel(directory: dir)
        let ref = try SafeTensorsFile(path: dir + "/reference.safetensors")
        let nh = model.config.numHeads, nkv = model.config.numKVHeads
        var seq = 0
        while ref.tensors["seq\(seq).input_ids"] != nil {
            let p = "seq\(seq)."
            let label = "\(name) seq\(seq)"
            let ids = try ref.integers(p + "input_ids").map(Int.init)
            let t = ids.count
            func check(_ what: String, _ got: [Float], atol: Float = 1e-4, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let want = try ref.floats(p + what)
                #expect(got.count == want.count, "\(label) \(what): \(got.count) values, expected \(want.count)", sourceLocation: sourceLocation)
                guard got.count == want.count else { return }
                let d = maxAbsDiff(got, want)
                #expect(d <= atol, "\(label) \(what): max abs diff \(d)", sourceLocation: sourceLocation)
            }
            // RoPE tables.
            try check("rope_inv_freq", model.rope.invFreq, atol: 1e-7)
            let (cos, sin) = model.rope.tables(count: t)
            try check("rope_cos", cos, atol: 1e-6)
            try check("rope_sin", sin, atol: 1e-6)
            // Layer 0 internals.
            var x = model.embed([ids])
            try check("embeddings", x.hidden.data, atol: 0)
            var trace = LayerTrace()
            model.runLayer(0, &x, trace: &trace)
            try check("l0_input_layernorm", trace.inputNorm.data)
            try check("l0_q_proj", trace.qProj.data)
            try check("l0_k_proj", trace.kProj.data)
            try check("l0_v_proj", trace.vProj.data)
            try check("l0_q_rope", headsFirst(trace.qRope, heads: nh))
            try check("l0_k_rope", headsFirst(trace.kRope, heads: nkv))
            try check("l0_attn_probs", trace.attentionProbs[0].flatMap(\.data), atol: 1e-5)
            try check("l0_o_proj", trace.oProj.data)
            try check("l0_post_attention_layernorm", trace.postAttentionNorm.data)
            try check("l0_mlp", trace.mlp.data)
            // Whole model.
            let out = try #require(model.forward([ids], hiddenStates: true).first)
            try check("layer_outputs", out.layerOutputs.flatMap(\.data))
            try check("final_norm", try #require(out.finalNorm).data)
            try check("logits", out.logits.data)
            seq += 1
        }
        #expect(seq == 3, "\(name): \(seq) sequences")
    }

    @Test func batchEqualsOneByOne() throws {
        let model = try LlamaModel(directory: fixture("forward/qwen2"))
        let seqs = [[1, 2, 3, 4, 5], [9, 8, 7], Array(0..<20)]
        let batch = model.forward(seqs)
        for (i, s) in seqs.enumerated() {
            #expect(batch[i].logits.maxAbsDiff(model.forward([s])[0].logits) < 1e-5)
        }
    }

    @Test func hooksSeeAndReplaceLinearInputs() throws {
        let model = try LlamaModel(directory: fixture("forward/llama"))
        var x = model.embed([[3, 1, 4, 1, 5]])
        var seen: [LinearSite: Int] = [:]
        var y = x
        model.runLayer(0, &x) { site, input in seen[site] = input.cols }
        #expect(seen.count == 7)
        #expect(seen[LinearSite(layer: 0, kind: .down)] == model.config.intermediateSize)
        #expect(seen[LinearSite(layer: 0, kind: .o)] == model.config.numHeads * model.config.headDim)
        // Zeroing the down_proj input removes the MLP contribution.
        var trace = LayerTrace()
        var z = y
        model.runLayer(0, &z, trace: &trace)
        model.runLayer(0, &y) { site, input in
            if site.kind == .down { input = Matrix(rows: input.rows, cols: input.cols) }
        }
        var expected = z.hidden
        for i in 0..<expected.data.count { expected.data[i] -= trace.mlp.data[i] }
        #expect(y.hidden.maxAbsDiff(expected) < 1e-5)
        _ = x
    }
}

/// SmolLM2-135M-Instruct against transformers (last positions of two chat prompts).
@Suite("SmolLM2Conformance")
struct SmolLM2ConformanceTests {
    static let modelDir = packageRoot + "/models/SmolLM2-135M-Instruct"

    @Test func lastPositionLogits() throws {
        guard fileExists(Self.modelDir + "/model.safetensors") else {
            print("skipped: \(Self.modelDir) is absent (run scripts/prepare-model to create it)")
            return
        }
        let model = try LlamaModel(directory: Self.modelDir)
        let config = try readJSON(Self.modelDir + "/config.json")
        let conversion = (config["dtype"]?.string ?? config["torch_dtype"]?.string) == "float32" ? "fp32" : "bf16"
        let ref = try SafeTensorsFile(path: fixture("forward/smollm2_\(conversion)_reference.safetensors"))
        var i = 0
        while ref.tensors["prompt\(i).input_ids"] != nil {
            let p = "prompt\(i)."
            let ids = try ref.integers(p + "input_ids").map(Int.init)
            let out = try #require(model.forward([ids], hiddenStates: true).first)
            let t = ids.count, v = model.config.vocabSize
            let lastLogits = Array(out.logits.data[((t - 1) * v)..<(t * v)])
            let d = maxAbsDiff(lastLogits, try ref.floats(p + "last_logits"))
            #expect(d <= 1e-3, "prompt\(i) (\(conversion)): last-position logits max abs diff \(d)")
            let topIds = try ref.integers(p + "last4_top20_ids"), topVals = try ref.floats(p + "last4_top20_values")
            let lse = try ref.floats(p + "last4_logsumexp")
            for r in 0..<4 {
                let pos = t - 4 + r
                let row = out.logits.data[(pos * v)..<((pos + 1) * v)]
                let ours = row.indices.sorted { row[$0] > row[$1] }.prefix(5).map { $0 - pos * v }
                #expect(ours == topIds[(r * 20)..<(r * 20 + 5)].map(Int.init), "prompt\(i) position \(pos): top-5 ids differ")
                for k in 0..<20 {
                    let id = Int(topIds[r * 20 + k])
                    #expect(abs(row[pos * v + id] - topVals[r * 20 + k]) <= 2e-3, "prompt\(i) position \(pos) top-\(k) value")
                }
                #expect(abs(logSumExp(row) - Double(lse[r])) <= 2e-3, "prompt\(i) position \(pos): logsumexp")
            }
            let lastHidden = out.layerOutputs.flatMap { Array($0.data[((t - 1) * 576)..<(t * 576)]) }
            let dh = maxAbsDiff(lastHidden, try ref.floats(p + "last_pos_layer_outputs"))
            #expect(dh <= 2e-3, "prompt\(i): last-position layer outputs max abs diff \(dh)")
            print("SmolLM2 prompt\(i) (\(conversion), \(t) tokens): last logits max abs diff \(d), hidden \(dh)")
            i += 1
        }
        #expect(i == 2)
    }
}
