/// Precision, recall and F-measure of one ROUGE type (rouge-score's `Score` tuple).
public struct RougeScore: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var fmeasure: Double

    public init(precision: Double, recall: Double, fmeasure: Double) {
        self.precision = precision; self.recall = recall; self.fmeasure = fmeasure
    }

    /// rouge-score's `fmeasure`: `2 * p * r / (p + r)`, evaluated left to right, or 0.
    public static func fmeasure(precision p: Double, recall r: Double) -> Double {
        p + r > 0 ? 2 * p * r / (p + r) : 0.0
    }
}

/// ROUGE-N and ROUGE-L over token lists, with rouge-score 0.1.2's arithmetic.
public enum Rouge {
    /// ROUGE-N: clipped n-gram overlap; `P = overlap / max(|pred n-grams|, 1)`,
    /// `R = overlap / max(|target n-grams|, 1)`.
    public static func ngram(target: [String], prediction: [String], n: Int) -> RougeScore {
        let t = ngramCounts(target, n), p = ngramCounts(prediction, n)
        var overlap = 0
        for (gram, count) in t { overlap += min(count, p[gram] ?? 0) }
        let tTotal = t.values.reduce(0, +), pTotal = p.values.reduce(0, +)
        let precision = Double(overlap) / Double(max(pTotal, 1))
        let recall = Double(overlap) / Double(max(tTotal, 1))
        return RougeScore(precision: precision, recall: recall,
                          fmeasure: RougeScore.fmeasure(precision: precision, recall: recall))
    }

    /// ROUGE-L: longest common subsequence; all zero when either side is empty.
    public static func lcs(target: [String], prediction: [String]) -> RougeScore {
        guard !target.isEmpty, !prediction.isEmpty else {
            return RougeScore(precision: 0, recall: 0, fmeasure: 0)
        }
        var previous = [Int](repeating: 0, count: prediction.count + 1)
        for t in target {
            var row = [Int](repeating: 0, count: prediction.count + 1)
            for (j, p) in prediction.enumerated() {
                row[j + 1] = t == p ? previous[j] + 1 : max(previous[j + 1], row[j])
            }
            previous = row
        }
        let length = Double(previous[prediction.count])
        let precision = length / Double(prediction.count), recall = length / Double(target.count)
        return RougeScore(precision: precision, recall: recall,
                          fmeasure: RougeScore.fmeasure(precision: precision, recall: recall))
    }

    static func ngramCounts(_ tokens: [String], _ n: Int) -> [[String]: Int] {
        var counts: [[String]: Int] = [:]
        guard n > 0, tokens.count >= n else { return counts }
        for i in 0...(tokens.count - n) { counts[Array(tokens[i..<(i + n)]), default: 0] += 1 }
        return counts
    }
}

/// rouge-score's `RougeScorer(rouge_types, use_stemmer)`: `rouge1`…`rouge9` and `rougeL`.
public struct RougeScorer: Sendable {
    public let types: [String]
    public let tokenizer: RougeTokenizer

    /// Fails on a type other than `rougeN` (N in 1…9) or `rougeL`.
    public init(types: [String], useStemmer: Bool) throws {
        for type in types where Self.order(of: type) == nil && type != "rougeL" {
            throw SuiteError.scorer("unknown ROUGE type '\(type)' (expected rouge1…rouge9 or rougeL)")
        }
        self.types = types
        self.tokenizer = RougeTokenizer(useStemmer: useStemmer)
    }

    /// `scorer.score(target, prediction)`: one score per requested type.
    public func score(target: String, prediction: String) -> [String: RougeScore] {
        let t = tokenizer.tokenize(target), p = tokenizer.tokenize(prediction)
        var out: [String: RougeScore] = [:]
        for type in types {
            if let n = Self.order(of: type) {
                out[type] = Rouge.ngram(target: t, prediction: p, n: n)
            } else {
                out[type] = Rouge.lcs(target: t, prediction: p)
            }
        }
        return out
    }

    private static func order(of type: String) -> Int? {
        let digits = type.dropFirst(5)
        guard type.hasPrefix("rouge"), digits.count == 1, let n = Int(digits), n >= 1 else { return nil }
        return n
    }
}
