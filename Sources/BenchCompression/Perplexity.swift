// SmolLM2 perplexity on a held-out generated text for every compression method (scripts/bench/perplexity).
import Kernels
import Tasks
#if canImport(Glibc)
import Glibc
#endif

/// Compresses the model with each method (small calibration), writes the artifact in the method's
/// default format, reads it back with `loadDequantizedModel` and measures perplexity on held-out text.
///
/// Calibration: `samples × seqLen` tokens drawn at seeded offsets from `HaystackGenerator(seed: 0)`
/// text (the worker's default calibration source); held-out text: `evalWindows` consecutive windows of
/// `seqLen` tokens of `HaystackGenerator(seed: 1)`, no overlap with the calibration windows' source.
struct PerplexityBench {
    var model: String, work: String
    var samples: Int, seqLen: Int, evalWindows: Int
    /// Label prefixes of the rows to run (all when empty), e.g. `["none", "wanda"]`.
    var only: [String] = []

    /// The rows of the table: a label and a recipe (nil: the uncompressed model).
    static let rows: [(String, CompressionRecipe?)] = {
        func q(_ m: CompressionMethod) -> CompressionRecipe { var r = CompressionRecipe(method: m); r.groupSize = 64; return r }
        func p(_ m: CompressionMethod, _ n: Int = 0, _ mm: Int = 0) -> CompressionRecipe {
            var r = CompressionRecipe(method: m); r.pruneN = n; r.pruneM = mm; return r
        }
        return [("none", nil), ("rtn w4 g64", q(.rtn)), ("gptq w4 g64", q(.gptq)), ("awq w4 g64", q(.awq)),
                ("magnitude 50%", p(.magnitude)), ("magnitude 2:4", p(.magnitude, 2, 4)),
                ("wanda 50%", p(.wanda)), ("wanda 2:4", p(.wanda, 2, 4)),
                ("sparsegpt 50%", p(.sparsegpt)), ("sparsegpt 2:4", p(.sparsegpt, 2, 4))]
    }()

    func run() throws {
        let tokenizer = try Tokenizer(path: model)
        let calibrationPath = work + "/calibration.txt"
        try writeText(calibrationPath, HaystackGenerator(seed: 0).text(minimumWords: 20_000))
        let calibration = try loadCalibration(CalibrationSpec(path: calibrationPath, samples: samples, seqLen: seqLen, seed: 0),
                                              tokenizer: tokenizer)
        let heldOut = tokenizer.encode(HaystackGenerator(seed: 1).text(minimumWords: evalWindows * seqLen), addSpecialTokens: false)
        guard heldOut.count >= evalWindows * seqLen else { fail("held-out text has only \(heldOut.count) tokens") }
        let windows = (0..<evalWindows).map { Array(heldOut[($0 * seqLen)..<(($0 + 1) * seqLen)]) }
        say("SmolLM2 perplexity: calibration \(samples) × \(seqLen) tokens of HaystackGenerator(seed 0) text (seed-0 windows);"
              + " held-out \(evalWindows) × \(seqLen) tokens of HaystackGenerator(seed 1); OpenBLAS \(BLASThreads.current) threads")
        say("(calibration is far below ACBench's 128 × 2048 / AWQ 128 × 512 to keep the table within about an hour; AWQ takes most of it)")
        say("\(padded("method", 16)) \(padded("format", 20)) \(padded("compress s", 11)) perplexity")
        for (label, recipe) in Self.rows where only.isEmpty || only.contains(where: { label.hasPrefix($0) }) {
            var seconds = 0.0
            var evaluated: LlamaModel
            var format = "original"
            if let recipe {
                let out = work + "/" + String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
                let summary = try compressCheckpoint(source: model, recipe: recipe, calibration: recipe.needsCalibration ? calibration : [], out: out)
                seconds = summary.seconds
                format = recipe.outputFormat.rawValue
                evaluated = try loadDequantizedModel(directory: out)
            } else {
                evaluated = try LlamaModel(directory: model)
            }
            let ppl = perplexity(evaluated, windows)
            say("\(padded(label, 16)) \(padded(format, 20)) \(fixed(seconds, 1, width: 10))  \(fixed(ppl, 3, width: 9))")
        }
    }

    /// `exp` of the mean next-token negative log-likelihood over every position but the last of each window.
    func perplexity(_ m: LlamaModel, _ windows: [[Int]]) -> Double {
        var nll = 0.0, count = 0
        for w in windows {
            let logits = m.forward([w])[0].logits
            for t in 0..<(w.count - 1) {
                var mx = -Double.infinity
                for v in 0..<logits.cols { mx = max(mx, Double(logits[t, v])) }
                var sum = 0.0
                for v in 0..<logits.cols { sum += exp(Double(logits[t, v]) - mx) }
                nll += mx + log(sum) - Double(logits[t, w[t + 1]])
                count += 1
            }
        }
        return exp(nll / Double(count))
    }
}

func writeText(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
    defer { fclose(f) }
    let bytes = Array(text.utf8)
    guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { fail("cannot write \(path)") }
}
