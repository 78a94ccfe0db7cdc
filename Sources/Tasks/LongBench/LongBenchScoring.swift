import Synchronization

/// LongBench v1's `eval.py`: per-sample score, dataset score and LongBench-E buckets (spec §4.3, §4.5).
public enum LongBenchScoring {
    /// The score of one prediction: first-line rule for the few-shot datasets, then the maximum
    /// of the dataset's metric over the gold answers (starting from 0.0).
    public static func sampleScore(dataset: LongBenchDataset, prediction: String, answers: [String],
                                   allClasses: [String]?, segmenter: JiebaSegmenter?) throws -> Double {
        let pred = dataset.isFewShot ? firstLine(prediction) : prediction
        var score = 0.0
        for answer in answers {
            score = max(score, try dataset.metric.score(prediction: pred, groundTruth: answer,
                                                        allClasses: allClasses, segmenter: segmenter))
        }
        return score
    }

    /// `pred.lstrip('\n').split('\n')[0]`.
    public static func firstLine(_ s: String) -> String { s.pyLStrip(["\n"]).pySplit(separator: "\n")[0] }

    /// `scorer`: `round(100 * sum / len, 2)`, summing in file order.
    public static func datasetScore(_ scores: [Double]) -> Double {
        var total = 0.0
        for s in scores { total += s }
        return PyNum.round(100 * total / Double(scores.count), digits: 2)
    }

    /// `scorer_e`: `round(100 * np.mean(bucket), 2)` per length bucket (`0-4k`, `4-8k`, `8k+`);
    /// an empty bucket is NaN, as in the reference.
    public static func lengthBuckets(scores: [Double], lengths: [Int]) -> [String: Double] {
        var buckets: [String: [Double]] = ["0-4k": [], "4-8k": [], "8k+": []]
        for (s, l) in zip(scores, lengths) { buckets[l < 4000 ? "0-4k" : (l < 8000 ? "4-8k" : "8k+")]!.append(s) }
        return buckets.mapValues { PyNum.round(100 * NumPyReduce.mean($0), digits: 2) }
    }

    /// Middle truncation at token level: when `ids` is longer than `maxLength`, the first and last
    /// `int(maxLength/2)` ids, decoded separately by the caller and concatenated; else nil.
    public static func truncationSegments(_ ids: [Int], maxLength: Int) -> (head: [Int], tail: [Int])? {
        guard ids.count > maxLength else { return nil }
        let half = maxLength / 2
        return (Array(ids.prefix(half)), half == 0 ? ids : Array(ids.suffix(half)))
    }

    /// The prompt after middle truncation with the served model's tokenizer, as ACBench does it:
    /// ids **with** the tokenizer's special tokens (a BOS counts towards `maxLength`), halves
    /// decoded without skipping them (specs/scoring.md §4.2).
    public static func truncate(_ prompt: String, maxLength: Int, tokenizer: any TextTokenizer) async throws -> String {
        let ids = try await tokenizer.encode(prompt, addSpecialTokens: true)
        guard let (head, tail) = truncationSegments(ids, maxLength: maxLength) else { return prompt }
        return try await tokenizer.decode(head) + tokenizer.decode(tail)
    }

    private static let segmenters = Mutex<[String: JiebaSegmenter]>([:])

    /// jieba loaded from `folder` (once per process).
    public static func segmenter(folder: String) throws -> JiebaSegmenter {
        if let s = segmenters.withLock({ $0[folder] }) { return s }
        let s = JiebaSegmenter(model: try JiebaModel(folder: folder))
        segmenters.withLock { $0[folder] = s }
        return s
    }
}
