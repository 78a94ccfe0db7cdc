/// The two Needle-in-a-Haystack scores (spec §3.2, §3.3).
public enum NeedleScoring {
    private static let tokenizer = RougeTokenizer(useStemmer: true)

    /// Score A, the per-probe `score` the runner stores: ROUGE-1 F(target: needle, prediction:
    /// response) × 10, or 0 for an empty response. `response` is the already stripped answer.
    public static func rouge1FTimes10(needle: String, response: String) -> Double {
        guard !response.isEmpty else { return 0.0 }
        let f = Rouge.ngram(target: tokenizer.tokenize(needle), prediction: tokenizer.tokenize(response), n: 1)
        return f.fmeasure * 10
    }

    /// Score B, `visualize.py`'s heat-map value: distinct lowercased whitespace-separated words of
    /// the response that are words of the answer (punctuation kept, so `day.` ≠ `day`), divided
    /// by the number of distinct answer words. Throws when the answer has no words (the
    /// reference divides by zero).
    public static func setRecall(answer: String, response: String) throws -> Double {
        let expected = codePointSet(answer)
        guard !expected.isEmpty else { throw SuiteError.scorer("needle answer '\(answer)' has no words") }
        let got = codePointSet(response)
        return Double(got.intersection(expected).count) / Double(expected.count)
    }

    /// Python compares strings by code points; Swift's `==` would also equate canonically
    /// equivalent spellings (`é` and `e` + U+0301), so words are kept as code-point arrays.
    private static func codePointSet(_ text: String) -> Set<[UInt32]> {
        Set(text.pyLowercased().pySplit().map { $0.unicodeScalars.map(\.value) })
    }
}
