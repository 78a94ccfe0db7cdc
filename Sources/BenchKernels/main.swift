// acbench-bench-kernels: forward tokens/s and encoder sentences/s of the Swift kernels, on inputs
// written by scripts/bench/kernels (which runs the Python references on the same inputs). Figures are
// reported, never asserted.
import Kernels
#if canImport(Glibc)
import Glibc
#endif

func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func fail(_ message: String) -> Never {
    print("acbench-bench-kernels: \(message)")
    exit(2)
}

/// Best wall time of `reps` runs of `body`, in seconds.
func bestTime(_ reps: Int, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<reps {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return best
}

func loadJSON(_ path: String) -> JSON {
    guard let f = fopen(path, "rb") else { fail("cannot read \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true { let n = fread(&buf, 1, buf.count, f); if n == 0 { break }; bytes += buf.prefix(n) }
    do { return try JSON.parse(bytes) } catch { fail("\(path): \(error)") }
}

let threads = Int(argument("--threads") ?? "") ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
let reps = Int(argument("--reps") ?? "") ?? 2
BLASThreads.set(threads)
print("swift: OpenBLAS \(BLASThreads.coreName), \(BLASThreads.current) threads")

if let modelDir = argument("--model"), let idsPath = argument("--ids") {
    let batch = (loadJSON(idsPath).array ?? []).map { ($0.array ?? []).compactMap(\.int) }
    let model: LlamaModel
    do { model = try LlamaModel(directory: modelDir) } catch { fail("\(error)") }
    let tokens = batch.reduce(0) { $0 + $1.count }
    var checksum: Float = 0
    let t = bestTime(reps) {
        let out = model.forward(batch)
        checksum = out.last!.logits.data.last!
    }
    print("swift forward: \(batch.count) x \(batch.first?.count ?? 0) tokens in \(t) s = \(Double(tokens) / t) tokens/s (last logit \(checksum))")
}

if let encoderDir = argument("--encoder"), let sentencesPath = argument("--sentences") {
    let sentences = (loadJSON(sentencesPath).array ?? []).compactMap(\.string)
    let encoder: MPNetEncoder
    do { encoder = try MPNetEncoder(directory: encoderDir) } catch { fail("\(error)") }
    var first: Float = 0
    let t = bestTime(reps) { first = encoder.encode(sentences)[0][0] }
    print("swift encoder: \(sentences.count) sentences in \(t) s = \(Double(sentences.count) / t) sentences/s (first value \(first))")
}
