/// ROUGE-L F of the `rouge` 1.0.1 package (pltrdy) as LongBench's `rouge_score` calls it:
/// `Rouge().get_scores([hyp], [ref], avg=True)["rouge-l"]["f"]`, any exception → 0.0 (spec §4.4.3).
enum PltrdyRouge {
    /// Deepest LCS back-track recursion (calls) the reference survives under `eval.py` for
    /// `rouge_score`; `rouge_zh_score` adds a frame, so it gets one less (spec §4.4.4).
    static let depthLimit = 991

    private typealias Word = [Unicode.Scalar]

    /// `[" ".join(p.split()) for p in text.split(".") if len(p) > 0]`, each split into words on single spaces.
    private static func sentences(_ text: String) -> [[Word]] {
        text.pySplit(separator: ".").filter { !$0.isEmpty }.map { piece in
            piece.pySplit().joined(separator: " ").pySplit(separator: " ").map { Array($0.unicodeScalars) }
        }
    }

    /// The score, or 0.0 where the reference raises (no sentence on a side, recursion too deep).
    static func rougeLF(hypothesis: String, reference: String, maxDepth: Int) -> Double {
        let hyp = sentences(hypothesis), ref = sentences(reference)
        guard !hyp.isEmpty, !ref.isEmpty else { return 0.0 }
        let m = Set(ref.joined()).count, n = Set(hyp.joined()).count
        var union = Set<Word>()
        for r in ref {
            for h in hyp {
                guard let words = reconstructLCS(r, h, maxDepth: maxDepth) else { return 0.0 }
                union.formUnion(words)
            }
        }
        let llcs = Double(union.count)
        let r = llcs / Double(m), p = llcs / Double(n)
        return 2.0 * ((p * r) / (p + r + 1e-8))
    }

    /// `_recon_lcs(x, y)`: the words of the back-tracked LCS path; nil when the recursive
    /// back-track would need more than `maxDepth` nested calls.
    private static func reconstructLCS(_ x: [Word], _ y: [Word], maxDepth: Int) -> [Word]? {
        let rows = x.count, cols = y.count
        var table = [Int](repeating: 0, count: (rows + 1) * (cols + 1))
        let w = cols + 1
        if rows > 0 && cols > 0 {
            for i in 1...rows {
                for j in 1...cols {
                    table[i * w + j] = x[i - 1] == y[j - 1]
                        ? table[(i - 1) * w + j - 1] + 1
                        : max(table[(i - 1) * w + j], table[i * w + j - 1])
                }
            }
        }
        var i = rows, j = cols, calls = 1, words: [Word] = []
        while i > 0 && j > 0 {
            if x[i - 1] == y[j - 1] {
                words.append(x[i - 1]); i -= 1; j -= 1
            } else if table[(i - 1) * w + j] > table[i * w + j - 1] {
                i -= 1
            } else {
                j -= 1
            }
            calls += 1
            if calls > maxDepth { return nil }
        }
        return words
    }
}
