import Testing
@testable import Tasks

/// ACBench's middle truncation counts the tokenizer's BOS and decodes it back into the prompt
/// (specs/scoring.md §4.2).
@Suite("LongBenchTruncation")
struct LongBenchTruncationTests {
    /// One id per space-separated word; id 0 is `<s>`, added in front with special tokens.
    struct BOSWordTokenizer: TextTokenizer {
        func encode(_ text: String, addSpecialTokens: Bool) -> [Int] {
            (addSpecialTokens ? [0] : []) + text.split(separator: " ").map { Int($0.dropFirst())! }
        }
        func decode(_ ids: [Int]) -> String { ids.map { $0 == 0 ? "<s>" : "w\($0)" }.joined(separator: " ") }
    }

    @Test func theBOSCountsAndStaysInTheHead() async throws {
        let prompt = (1...10).map { "w\($0)" }.joined(separator: " ")
        let out = try await LongBenchScoring.truncate(prompt, maxLength: 6, tokenizer: BOSWordTokenizer())
        #expect(out == "<s> w1 w2" + "w8 w9 w10")
        // 10 words + BOS = 11 ids: one over a limit of 10 truncates, a limit of 11 does not.
        #expect(try await LongBenchScoring.truncate(prompt, maxLength: 10, tokenizer: BOSWordTokenizer()) == "<s> w1 w2 w3 w4w6 w7 w8 w9 w10")
        #expect(try await LongBenchScoring.truncate(prompt, maxLength: 11, tokenizer: BOSWordTokenizer()) == prompt)
    }
}
