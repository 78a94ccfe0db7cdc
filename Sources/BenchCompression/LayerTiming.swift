// One SmolLM2 layer's GPTQ, SparseGPT and Wanda in Swift, on inputs saved for the PyTorch side
// (scripts/bench/compression runs scripts/bench/compression_reference.py on the same file).
import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// Captures the inputs of layer `layer`'s seven linears on `samples × seqLen` random token ids
/// (seeded), writes them with the weights to `<work>/layer.safetensors` (`x.<linear>` `[tokens, in]`,
/// `w.<linear>` `[out, in]`), then times, over the seven linears, what each method does given the
/// captured inputs: Hessian accumulation per sequence + `fasterquant` (GPTQ w4 g64, sym, no
/// act-order), Hessian + `fasterprune` (SparseGPT 50% unstructured), `scaler_row` + the per-row
/// prune (Wanda 50%). The layer's forward is not timed (the same on both sides).
struct LayerTiming {
    var model: String, work: String
    var samples: Int, seqLen: Int, layer: Int

    func run() throws {
        let m = try LlamaModel(directory: model)
        var rng = SplitMix64(seed: 0)
        let ids = (0..<samples).map { _ in (0..<seqLen).map { _ in 3 + rng.below(m.config.vocabSize - 3) } }
        var x = m.embed(ids)
        for l in 0..<layer { m.runLayer(l, &x) }
        var inputs: [LinearKind: Matrix] = [:]
        m.runLayer(layer, &x) { site, input in inputs[site.kind] = input }
        let lengths = x.lengths
        var tensors: [String: TensorData] = [:]
        for k in LinearKind.allCases {
            let xi = inputs[k]!, w = m.layers[layer][k].weight
            tensors["x." + k.rawValue] = .floats(xi.data, shape: [xi.rows, xi.cols])
            tensors["w." + k.rawValue] = .floats(w.data, shape: [w.rows, w.cols])
        }
        try writeSafeTensors(tensors, to: work + "/layer.safetensors")
        say("swift: layer \(layer) of \(model), \(samples) × \(seqLen) tokens, OpenBLAS \(BLASThreads.coreName) \(BLASThreads.current) threads")

        func hessian(_ k: LinearKind) -> Matrix {
            var h = HessianAccumulator(columns: inputs[k]!.cols)
            h.add(inputs[k]!, lengths: lengths)
            return h.h
        }
        let (_, gptq) = try timed {
            for k in LinearKind.allCases {
                _ = try gptqQuantize(m.layers[layer][k].weight, hessian: hessian(k), options: GPTQOptions(groupSize: 64))
            }
        }
        say("swift gptq layer = \(fixed(gptq, 3)) s")
        let (_, sparsegpt) = try timed {
            for k in LinearKind.allCases { _ = try sparseGPTPrune(m.layers[layer][k].weight, hessian: hessian(k)) }
        }
        say("swift sparsegpt layer = \(fixed(sparsegpt, 3)) s")
        let (_, wanda) = timed {
            for k in LinearKind.allCases {
                var s = WandaStatistic(columns: inputs[k]!.cols)
                s.add(inputs[k]!, lengths: lengths)
                _ = wandaPrune(m.layers[layer][k].weight, scalerRow: s.scalerRow)
            }
        }
        say("swift wanda layer = \(fixed(wanda, 3)) s")
    }
}
