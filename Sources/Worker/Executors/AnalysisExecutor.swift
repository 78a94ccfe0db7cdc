import Kernels
import Protocol
import Tasks

/// Runs analysis units: the uncompressed and the compressed model (its artifact, dequantized) on
/// the same seeded token sequences through Kernels' forward pass, then ERank of the logits, top-k
/// ranking correlation (Kendall tau-b, Spearman; k = 3, 10, 20) of compressed against uncompressed
/// logits per position, and energy per position (T = 1) for both — ../shared/specs/kernels.md §5.
/// The forward passes are long BLAS work: they run on their own OS thread, not Swift's pool.
public struct AnalysisExecutor: UnitExecutor {
    public init() {}

    public func accepts(_ unit: UnitSpec) -> Bool { unit.kind == .analysis }

    public func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let unit = context.unit
        guard let spec = unit.analysis, let artifact = context.assignment.artifact else {
            throw UnitFailure(.internalError, "analysis unit \(unit.slot) has no analysis settings or no artifact")
        }
        let base = context.config.baseDirectory ?? Files.absolute(".")
        let modelDir = unit.model.path.hasPrefix("/") ? unit.model.path : base + "/" + unit.model.path
        let method = unit.method.name
        let values: [AnalysisValue] = try await withCheckedThrowingContinuation { continuation in
            startOSThread(name: "analysis") {
                do {
                    continuation.resume(returning: try Self.compute(spec: spec, modelDir: modelDir, artifactDir: artifact.path,
                                                                    method: method, sink: sink))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        return UnitOutcome(sampleCount: 0, analysis: values)
    }

    /// The metric values for `method` (and for the uncompressed model, as method `none`).
    static func compute(spec: AnalysisSpec, modelDir: String, artifactDir: String, method: String,
                        sink: any UnitSink) throws -> [AnalysisValue] {
        let sequences = try tokenSequences(spec: spec, modelDir: modelDir)
        let (S, T) = (spec.sequences, spec.positions)
        sink.progress(done: 0, total: 3, note: "forward pass of the uncompressed model")
        let baseLogits: [Float], vocab: Int
        do {
            let model = try LlamaModel(directory: modelDir)
            let out = model.forward(sequences)
            vocab = out[0].logits.cols
            baseLogits = out.flatMap(\.logits.data)
        } catch { throw UnitFailure(.badModel, "cannot load \(modelDir) for analysis: \(error)") }
        sink.progress(done: 1, total: 3, note: "forward pass of the compressed model")
        let compLogits: [Float]
        do {
            let out = try loadDequantizedModel(directory: artifactDir).forward(sequences)
            guard out[0].logits.cols == vocab else {
                throw UnitFailure(.badModel, "the compressed model's vocabulary (\(out[0].logits.cols)) differs from \(vocab)")
            }
            compLogits = out.flatMap(\.logits.data)
        } catch let f as UnitFailure { throw f } catch {
            throw UnitFailure(.badModel, "cannot load the artifact \(artifactDir) for analysis: \(error)")
        }
        sink.progress(done: 2, total: 3, note: "metrics")
        var values: [AnalysisValue] = []
        for (name, logits) in [("none", baseLogits), (method, compLogits)] {
            var erank = 0.0
            var energy = [Double](repeating: 0, count: T)
            for s in 0..<S {
                let slice = Array(logits[s * T * vocab ..< (s + 1) * T * vocab])
                erank += ERank.compute(slice, rows: T, cols: vocab) / Double(S)
                for (t, e) in Energy.perPosition(slice, positions: T, vocab: vocab).enumerated() { energy[t] += e / Double(S) }
            }
            values.append(AnalysisValue(method: name, metric: "erank", value: erank))
            values += energy.enumerated().map { AnalysisValue(method: name, metric: "energy", position: $0.offset, value: $0.element) }
        }
        for k in TopKCorrelation.ks {
            let r = TopKCorrelation.perPosition(base: baseLogits, compressed: compLogits, sequences: S, positions: T, vocab: vocab, k: k)
            for t in 0..<T {
                values.append(AnalysisValue(method: method, metric: "kendall", k: k, position: t, value: r.kendall[t]))
                values.append(AnalysisValue(method: method, metric: "spearman", k: k, position: t, value: r.spearman[t]))
            }
        }
        sink.progress(done: 3, total: 3, note: "done")
        return values
    }

    /// `sequences` windows of `positions` tokens of the project's generated English (seeded).
    static func tokenSequences(spec: AnalysisSpec, modelDir: String) throws -> [[Int]] {
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(path: modelDir) } catch {
            throw UnitFailure(.badModel, "cannot read the tokenizer of \(modelDir): \(error)")
        }
        let need = spec.sequences * spec.positions
        let text = HaystackGenerator(seed: UInt64(spec.seed)).text(minimumWords: need * 2)
        let ids = tokenizer.encode(text, addSpecialTokens: false)
        guard ids.count >= need else {
            throw UnitFailure(.internalError, "the generated text gave \(ids.count) tokens, \(need) needed")
        }
        return (0..<spec.sequences).map { Array(ids[$0 * spec.positions ..< ($0 + 1) * spec.positions]) }
    }
}
