/// Deterministic filler prose for the haystack, so the project ships no third-party essays.
///
/// Paragraphs of sentences built from templates and word lists written for this project,
/// driven by a SplitMix64 stream from `seed`. The output for a seed is a stable stream: asking
/// for more words only extends the text, so every shorter request is a prefix of a longer one.
/// None of the vocabulary overlaps the default needle's distinctive words.
public struct HaystackGenerator: Sendable {
    public var seed: UInt64

    public init(seed: UInt64 = 0) { self.seed = seed }

    /// Whole paragraphs (separated by a blank line) until at least `minimumWords` words.
    public func text(minimumWords: Int) -> String {
        var rng = SplitMix64(seed: seed)
        var paragraphs: [String] = []
        var words = 0
        while words < minimumWords {
            let count = 4 + rng.below(5)
            let paragraph = (0..<count).map { _ in sentence(&rng) }.joined(separator: " ")
            words += paragraph.split(separator: " ").count
            paragraphs.append(paragraph)
        }
        return paragraphs.joined(separator: "\n\n") + (paragraphs.isEmpty ? "" : "\n")
    }

    private func sentence(_ rng: inout SplitMix64) -> String {
        let template = Vocabulary.templates[rng.below(Vocabulary.templates.count)]
        var out = ""
        var slot = ""
        var inSlot = false
        for ch in template {
            if ch == "{" { inSlot = true; slot = ""; continue }
            if ch == "}" {
                inSlot = false
                out += Vocabulary.slots[slot].map { $0[rng.below($0.count)] } ?? slot
                continue
            }
            if inSlot { slot.append(ch) } else { out.append(ch) }
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and identical on every platform.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (bound > 0); the tiny modulo bias is irrelevant for filler text.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
