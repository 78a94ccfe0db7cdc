/// `eval_longgenbench.py` (spec §5.3): gold and predicted answer extraction with the reference
/// regular expressions' exact matching behaviour, and positional accuracy.
public enum LongGenBenchScoring {
    typealias Text = [Unicode.Scalar]

    /// `re.search(r'####\s*(\d+)', answer).group(1)`, or nil.
    public static func expectedGSM8K(_ answer: String) -> String? {
        let s = Array(answer.unicodeScalars), hashes = Array("####".unicodeScalars)
        var i = 0
        while i + 4 <= s.count {
            if s[i..<(i + 4)].elementsEqual(hashes) {
                var j = i + 4
                while j < s.count, s[j].isPythonSpace { j += 1 }
                let digits = digitRun(s, j)
                if digits > 0 { return string(s[j..<(j + digits)]) }
            }
            i += 1
        }
        return nil
    }

    /// `re.findall(r'Answer_\d+:\s*.*?answer is (\d+)', pred, re.DOTALL)`.
    public static func predictedGSM8K(_ pred: String) -> [String] {
        findAll(pred) { s, body in
            // .*? over everything: the earliest "answer is " followed by a digit.
            var q = body
            while let at = find(s, "answer is ", from: q) {
                let d = digitRun(s, at + 10)
                if d > 0 { return (string(s[(at + 10)..<(at + 10 + d)]), at + 10 + d) }
                q = at + 1
            }
            return nil
        }
    }

    /// `re.findall(r'Answer_\d+:\s*.*?answer is \((.*?)\)', pred)`: the tag and the answer on one line.
    public static func predictedMMLU(_ pred: String) -> [String] {
        findAll(pred) { s, body in
            var q = body
            while let at = find(s, "answer is (", from: q), !s[body..<at].contains("\n") {
                var e = at + 11
                while e < s.count, s[e] != ")", s[e] != "\n" { e += 1 }
                if e < s.count, s[e] == ")" { return (string(s[(at + 11)..<e]), e + 1) }
                q = at + 1
            }
            return nil
        }
    }

    /// Positions where gold and prediction agree (strings; a nil gold never does), over the gold count.
    public static func accuracy(expected: [String?], predicted: [String]) -> Double {
        var correct = 0
        for (e, p) in zip(expected, predicted) where e.map({ $0.pyEquals(p) }) == true { correct += 1 }
        return Double(correct) / Double(expected.count)
    }

    /// `round(100 * np.mean(accuracies), 4)`.
    public static func datasetScore(_ accuracies: [Double]) -> Double {
        PyNum.round(100 * NumPyReduce.mean(accuracies), digits: 4)
    }

    // MARK: - matching helpers

    /// Left-to-right non-overlapping matches of `Answer_\d+:\s*` followed by what `rest` matches
    /// from the end of the whitespace (returning the capture and the match end).
    private static func findAll(_ text: String, rest: (Text, Int) -> (String, Int)?) -> [String] {
        let s = Array(text.unicodeScalars)
        var out: [String] = [], i = 0
        while let at = find(s, "Answer_", from: i) {
            let d = digitRun(s, at + 7)
            var j = at + 7 + d
            if d > 0, j < s.count, s[j] == ":" {
                j += 1
                while j < s.count, s[j].isPythonSpace { j += 1 }
                if let (capture, end) = rest(s, j) {
                    out.append(capture); i = max(end, at + 1); continue
                }
            }
            i = at + 1
        }
        return out
    }

    private static func digitRun(_ s: Text, _ i: Int) -> Int {
        var j = i
        while j < s.count, s[j].isPythonDecimal { j += 1 }
        return j - i
    }

    private static func find(_ s: Text, _ needle: String, from start: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        var i = start
        while i + n.count <= s.count {
            if s[i] == n[0] && s[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)) }
}
