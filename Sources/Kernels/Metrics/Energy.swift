#if canImport(Glibc)
import Glibc
#endif
/// Energy of the logits per position (specs/kernels.md §5.3): `E = −T · logsumexp(ℓ / T)`.
public enum Energy {
    /// Stable logsumexp of `values / temperature` (float64 accumulation).
    public static func logSumExp<C: Collection>(_ values: C, temperature: Double = 1) -> Double where C.Element == Float {
        var m = -Double.infinity
        for v in values { m = max(m, Double(v) / temperature) }
        guard m.isFinite else { return m }
        var s = 0.0
        for v in values { s += exp(Double(v) / temperature - m) }
        return m + log(s)
    }

    /// Energy of one position's logits.
    public static func energy<C: Collection>(_ logits: C, temperature: Double = 1) -> Double where C.Element == Float {
        -temperature * logSumExp(logits, temperature: temperature)
    }

    /// Energy of every position of row-major `[positions, vocab]` logits.
    public static func perPosition(_ logits: [Float], positions: Int, vocab: Int, temperature: Double = 1) -> [Double] {
        precondition(logits.count == positions * vocab, "Energy: \(logits.count) values for [\(positions), \(vocab)]")
        return (0..<positions).map { energy(logits[$0 * vocab ..< ($0 + 1) * vocab], temperature: temperature) }
    }
}
