#if canImport(Glibc)
import Glibc
#endif

/// Calibration sequences (kernels.md §3.8). Sources:
/// - a token-id file (`.ids`/`.tokens`: one sequence per line, ids separated by spaces or commas) —
///   used as given (the way to reproduce the references' exact C4/pile windows);
/// - a text file, or JSONL with a `"text"` field per line: tokenized, concatenated, and cut into
///   `samples` windows of `seqLen` tokens at seeded random offsets (GPTQ's C4 sampling; SplitMix64,
///   not Python's RNG).
/// Defaults per method as ACBench ran them: GPTQ/SparseGPT/Wanda 128 × 2048 (seed 0), AWQ 128 × 512
/// (seed 42); see `CompressionRecipe.defaultCalibration`.
public struct CalibrationSpec: Sendable, Codable, Equatable {
    public var path: String
    public var samples: Int
    public var seqLen: Int
    public var seed: UInt64
    public init(path: String, samples: Int = 128, seqLen: Int = 2048, seed: UInt64 = 0) {
        self.path = path; self.samples = samples; self.seqLen = seqLen; self.seed = seed
    }
}

/// SplitMix64: a small seeded generator (reproducible across platforms).
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in `0..<n`.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}

/// Loads the calibration sequences described by `spec`; `tokenizer` is needed for text sources.
public func loadCalibration(_ spec: CalibrationSpec, tokenizer: Tokenizer?) throws -> [[Int]] {
    guard let bytes = readFile(spec.path) else { throw CompressionError.badInput("\(spec.path): cannot read the calibration file") }
    let text = String(decoding: bytes, as: UTF8.self)
    if spec.path.hasSuffix(".ids") || spec.path.hasSuffix(".tokens") {
        var out: [[Int]] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let ids = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map { Int($0) }
            guard ids.allSatisfy({ $0 != nil }) else { throw CompressionError.badInput("\(spec.path):\(n + 1): expected integer token ids") }
            out.append(ids.map { $0! })
        }
        guard !out.isEmpty else { throw CompressionError.badInput("\(spec.path): no sequences") }
        return Array(out.prefix(spec.samples))
    }
    guard let tokenizer else { throw CompressionError.badInput("\(spec.path): a tokenizer is needed for text calibration data") }
    var documents: [String] = []
    if spec.path.hasSuffix(".jsonl") {
        for (n, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let doc = (try? JSON.parse(String(line)))?["text"]?.string else {
                throw CompressionError.badInput("\(spec.path):\(n + 1): expected a JSON object with a \"text\" string")
            }
            documents.append(doc)
        }
    } else {
        documents = [text]
    }
    var tokens: [Int] = []
    for d in documents { tokens += tokenizer.encode(d, addSpecialTokens: false) }
    guard tokens.count > spec.seqLen else {
        throw CompressionError.badInput("\(spec.path): \(tokens.count) tokens, need more than one window of \(spec.seqLen)")
    }
    var rng = SplitMix64(seed: spec.seed)
    return (0..<spec.samples).map { _ in
        let start = rng.below(tokens.count - spec.seqLen)
        return Array(tokens[start..<(start + spec.seqLen)])
    }
}
