import Synchronization

/// Turns sentences into embeddings (all-mpnet-base-v2 for WorfBench and T-Eval: mean pooled,
/// L2-normalised, 768 float32 dimensions). Kernels' encoder conforms; tests use lookups.
public protocol SentenceEmbedder: Sendable {
    func embed(_ sentences: [String]) throws -> [[Float]]
}

/// The embedder scorers use when none is passed explicitly (the worker installs Kernels' encoder).
public enum SentenceEmbedders {
    private static let current = Mutex<(any SentenceEmbedder)?>(nil)

    /// Installs the process-wide embedder.
    public static func install(_ e: any SentenceEmbedder) { current.withLock { $0 = e } }

    /// The installed embedder, or a scorer error saying none is available.
    public static func required(for suite: String) throws -> any SentenceEmbedder {
        guard let e = current.withLock({ $0 }) else {
            throw SuiteError.scorer("\(suite) needs the all-mpnet-base-v2 sentence encoder, and none is installed")
        }
        return e
    }
}

/// `sentence_transformers.util.cos_sim` in float32: both sides re-normalised, then dot products.
public enum CosineSimilarity {
    static func normalized(_ v: [Float]) -> [Float] {
        var sq: Float = 0
        for x in v { sq += x * x }
        let norm = max(sq.squareRoot(), 1e-12)
        return v.map { $0 / norm }
    }

    /// `cos_sim(a, b)` as a rows(a) × rows(b) float32 matrix.
    public static func matrix(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        let na = a.map(normalized), nb = b.map(normalized)
        return na.map { x in nb.map { y in
            var s: Float = 0
            for k in 0..<min(x.count, y.count) { s += x[k] * y[k] }
            return s
        } }
    }
}
