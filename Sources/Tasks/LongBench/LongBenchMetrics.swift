/// The metric functions of LongBench v1's `metrics.py` (spec §4.4), by their reference names.
public enum LongBenchMetric: String, Sendable, CaseIterable {
    case qaF1 = "qa_f1_score", qaF1Zh = "qa_f1_zh_score"
    case rouge = "rouge_score", rougeZh = "rouge_zh_score"
    case classification = "classification_score"
    case retrieval = "retrieval_score", retrievalZh = "retrieval_zh_score"
    case count = "count_score", codeSim = "code_sim_score"

    /// Whether the metric needs the Chinese segmenter.
    public var needsSegmenter: Bool { self == .qaF1Zh || self == .rougeZh }

    /// `metric(prediction, ground_truth, all_classes=...)`. Throws where the reference raises
    /// (a retrieval answer without `Paragraph N`, a missing segmenter).
    public func score(prediction: String, groundTruth: String, allClasses: [String]?,
                      segmenter: JiebaSegmenter?) throws -> Double {
        switch self {
        case .qaF1:
            return LongBenchQA.f1(LongBenchQA.normalize(prediction).pySplit(),
                                  LongBenchQA.normalize(groundTruth).pySplit())
        case .qaF1Zh:
            let seg = try Self.require(segmenter)
            return LongBenchQA.f1(LongBenchQA.zhTokens(prediction, seg), LongBenchQA.zhTokens(groundTruth, seg))
        case .rouge:
            return PltrdyRouge.rougeLF(hypothesis: prediction, reference: groundTruth, maxDepth: PltrdyRouge.depthLimit)
        case .rougeZh:
            let seg = try Self.require(segmenter)
            return PltrdyRouge.rougeLF(hypothesis: seg.cut(prediction).joined(separator: " "),
                                       reference: seg.cut(groundTruth).joined(separator: " "),
                                       maxDepth: PltrdyRouge.depthLimit - 1)
        case .classification:
            return Self.classification(prediction, groundTruth, allClasses ?? [])
        case .retrieval, .retrievalZh:
            let marker = self == .retrieval ? "Paragraph " : "段落"
            guard let id = Self.firstParagraphId(groundTruth, marker: marker) else {
                throw SuiteError.scorer("\(rawValue): the gold answer \(groundTruth.debugDescription) has no '\(marker)N' (the reference raises IndexError)")
            }
            return Self.digitShare(prediction, id)
        case .count:
            return Self.digitShare(prediction, Array(groundTruth.unicodeScalars))
        case .codeSim:
            return Double(FuzzRatio.ratio(Self.firstCodeLine(prediction), groundTruth)) / 100
        }
    }

    private static func require(_ s: JiebaSegmenter?) throws -> JiebaSegmenter {
        guard let s else { throw SuiteError.dataMissing("the Chinese metrics need jieba's dictionary: run acbench data fetch longbench") }
        return s
    }

    /// The remove-while-iterating loop of `classification_score`, element skipping included.
    static func classification(_ pred: String, _ gold: String, _ allClasses: [String]) -> Double {
        var matches = allClasses.filter { pred.pyContains($0) }
        var index = 0
        while index < matches.count {
            let term = matches[index]
            if gold.pyContains(term) && !term.pyEquals(gold),
               let first = matches.firstIndex(where: { $0.pyEquals(term) }) {
                matches.remove(at: first)
            }
            index += 1
        }
        guard matches.contains(where: { $0.pyEquals(gold) }) else { return 0.0 }
        return 1.0 / Double(matches.count)
    }

    /// First `re.findall(marker + r"(\d+)", gold)` group.
    static func firstParagraphId(_ gold: String, marker: String) -> [Unicode.Scalar]? {
        let s = Array(gold.unicodeScalars), m = Array(marker.unicodeScalars)
        var i = 0
        while i + m.count < s.count {
            if s[i..<(i + m.count)].elementsEqual(m), s[i + m.count].isPythonDecimal {
                var j = i + m.count
                while j < s.count, s[j].isPythonDecimal { j += 1 }
                return Array(s[(i + m.count)..<j])
            }
            i += 1
        }
        return nil
    }

    /// Share of `\d+` runs in `pred` equal (as strings) to `id`; 0.0 without any run.
    static func digitShare(_ pred: String, _ id: [Unicode.Scalar]) -> Double {
        let numbers = pred.pyDigitRuns()
        guard !numbers.isEmpty else { return 0.0 }
        let right = numbers.filter { $0 == id }.count
        return Double(right) / Double(numbers.count)
    }

    /// `code_sim_score`'s line: the first line with none of `` ` ``, `#`, `//`, else `""`.
    static func firstCodeLine(_ pred: String) -> String {
        for line in pred.pyLStrip(["\n"]).pySplit(separator: "\n")
        where !line.pyContains("`") && !line.pyContains("#") && !line.pyContains("//") {
            return line
        }
        return ""
    }
}

/// `normalize_answer`, `normalize_zh_answer` and `f1_score` of LongBench's `metrics.py`.
enum LongBenchQA {
    private static let chinesePunctuation = Set(
        "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏.".unicodeScalars)

    /// lower → drop ASCII punctuation → articles (`\b(a|an|the)\b`) to spaces → collapse whitespace.
    static func normalize(_ s: String) -> String {
        let lowered = s.pyLowercased().unicodeScalars.filter { !pythonASCIIPunctuation.contains($0) }
        // `\b(a|an|the)\b` matches exactly the maximal \w runs equal to a, an or the.
        var out = String.UnicodeScalarView(), i = 0
        let chars = Array(lowered)
        while i < chars.count {
            if chars[i].isPythonWord {
                var j = i
                while j < chars.count, chars[j].isPythonWord { j += 1 }
                let word = String(String.UnicodeScalarView(chars[i..<j]))
                if word == "a" || word == "an" || word == "the" { out.append(" ") } else { out.append(contentsOf: chars[i..<j]) }
                i = j
            } else {
                out.append(chars[i]); i += 1
            }
        }
        return String(out).pySplit().joined(separator: " ")
    }

    /// jieba tokens, each lowered, stripped of ASCII and Chinese punctuation and all whitespace; empties dropped.
    static func zhTokens(_ s: String, _ segmenter: JiebaSegmenter) -> [String] {
        segmenter.cut(s).compactMap { token in
            let kept = token.pyLowercased().unicodeScalars.filter {
                !pythonASCIIPunctuation.contains($0) && !chinesePunctuation.contains($0)
            }
            let joined = String(String.UnicodeScalarView(kept)).pySplit().joined()
            return joined.isEmpty ? nil : joined
        }
    }

    /// Token-multiset F1; the reference returns the int 0 when nothing is shared.
    static func f1(_ prediction: [String], _ gold: [String]) -> Double {
        var counts: [[Unicode.Scalar]: Int] = [:]
        for t in gold { counts[Array(t.unicodeScalars), default: 0] += 1 }
        var same = 0
        for t in prediction {
            let key = Array(t.unicodeScalars)
            if let c = counts[key], c > 0 { same += 1; counts[key] = c - 1 }
        }
        if same == 0 { return 0 }
        let precision = 1.0 * Double(same) / Double(prediction.count)
        let recall = 1.0 * Double(same) / Double(gold.count)
        return (2 * precision * recall) / (precision + recall)
    }
}
