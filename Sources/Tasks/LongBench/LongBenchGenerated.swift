import FoundationEssentials

/// The `variant = "generated"` data of LongBench: a few records per dataset in the release's
/// JSONL shape, built from the project's own filler prose and invented words (no third-party
/// text), with answers the metrics can find, plus a tiny jieba dictionary for the Chinese ones.
enum LongBenchGenerated {
    static let defaultCount = 2

    /// `count` records of `dataset`, serialised as release lines and read back through the loader.
    static func records(_ dataset: LongBenchDataset, count: Int) throws -> [LongBenchRecord] {
        var rng = SplitMix64(seed: dataset.name.utf8.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) })
        let lines = (0..<max(0, count)).map { i in record(dataset, i, &rng).jsonLine }
        let file = try writeTemporary("longbench-generated-\(dataset.name).jsonl", lines.joined(separator: "\n") + "\n")
        return try LongBenchRecord.load(file: file)
    }

    private static let zhWords = ["项目", "会议", "预算", "下周", "讨论", "北京", "上海", "进展", "问题", "决定"]
    private static let labels = ["alpha", "beta", "gamma", "delta"]

    private static func word(_ rng: inout SplitMix64) -> String {
        let syllables = ["ka", "lo", "mi", "ner", "tu", "vas", "zen", "qui", "dor", "pe"]
        return (0..<(2 + rng.below(2))).map { _ in syllables[rng.below(syllables.count)] }.joined()
    }

    private static func zhText(_ n: Int, _ rng: inout SplitMix64) -> String {
        (0..<n).map { _ in zhWords[rng.below(zhWords.count)] }.joined() + "。"
    }

    private static func record(_ d: LongBenchDataset, _ i: Int, _ rng: inout SplitMix64) -> LongBenchRecord {
        let filler = HaystackGenerator(seed: rng.next()).text(minimumWords: 120)
        let key = word(&rng), value = word(&rng)
        var context = filler + " The code of \(key) is \(value). " + HaystackGenerator(seed: rng.next()).text(minimumWords: 60)
        var input = "What is the code of \(key)?", answers = [value], classes: [String]? = nil
        switch d.metric {
        case .qaF1: break
        case .qaF1Zh, .rougeZh:
            let answer = zhText(3, &rng)
            context = zhText(40, &rng) + answer + zhText(40, &rng)
            input = "哪一句提到了" + answer.prefix(2) + "？"
            answers = [answer]
        case .rouge:
            let summary = filler.split(separator: ".").prefix(2).joined(separator: ".") + "."
            answers = [summary.pyStripped()]; input = "Summarize."
        case .classification:
            let label = labels[rng.below(labels.count)]
            context = labels.map { "Text: \(word(&rng)) \($0)\nType: \($0)" }.joined(separator: "\n")
            input = word(&rng) + " " + label; answers = [label]; classes = labels
        case .retrieval, .retrievalZh:
            let n = 1 + rng.below(5)
            let marker = d.metric == .retrieval ? "Paragraph " : "段落"
            context = (1...5).map { "\(marker)\($0): " + (($0 == n) ? "\(key) \(value)." : HaystackGenerator(seed: UInt64($0)).text(minimumWords: 30)) }.joined(separator: "\n")
            input = "\(key) \(value)."; answers = ["\(marker)\(n)"]
        case .count:
            let n = 1 + rng.below(4)
            context = (0..<n).map { "Paragraph \($0 + 1): \(key) \(value)." }.joined(separator: "\n")
            answers = [String(n)]
        case .codeSim:
            let name = word(&rng)
            context = "def \(name)(x):\n    y = x + \(rng.below(9))\n    return y\n\nresult = \(name)("
            input = "result = \(name)("; answers = ["    return \(name)(\(rng.below(9)))"]
        }
        return LongBenchRecord(input: input, context: context, answers: answers,
                               length: context.split(separator: " ").count, allClasses: classes, id: "gen-\(d.name)-\(i)")
    }

    /// A jieba folder for the generated Chinese words: `dict.txt` plus an HMM whose tables are
    /// uniform (every character unknown to it), in the formats of jieba's release.
    static func jiebaFolder() -> String {
        let folder = temporaryDirectory() + "/acbench-jieba-generated"
        let dict = zhWords.enumerated().map { "\($0.element) \(100 + $0.offset) n" }.joined(separator: "\n") + "\n"
        let start = "P={'B': -0.6931471805599453,\n 'E': -3.14e+100,\n 'M': -3.14e+100,\n 'S': -0.6931471805599453}\n"
        let trans = "P={'B': {'E': -0.6931471805599453, 'M': -0.6931471805599453},\n 'E': {'B': -0.6931471805599453, 'S': -0.6931471805599453},\n 'M': {'E': -0.6931471805599453, 'M': -0.6931471805599453},\n 'S': {'B': -0.6931471805599453, 'S': -0.6931471805599453}}\n"
        let emit = "P={'B': {'\\u4e00': -9.0},\n 'E': {'\\u4e00': -9.0},\n 'M': {'\\u4e00': -9.0},\n 'S': {'\\u4e00': -9.0}}\n"
        try? FileManager.default.createDirectory(atPath: folder + "/finalseg", withIntermediateDirectories: true)
        for (name, text) in [("dict.txt", dict), ("finalseg/prob_start.py", start), ("finalseg/prob_trans.py", trans), ("finalseg/prob_emit.py", emit)] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8))
        }
        return folder
    }

    static func temporaryDirectory() -> String {
        ProcessInfo.processInfo.environment["TMPDIR"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "/tmp"
    }

    static func writeTemporary(_ name: String, _ text: String) throws -> String {
        let path = temporaryDirectory() + "/acbench-\(ProcessInfo.processInfo.processIdentifier)-" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw SuiteError.badData("cannot write the generated data file \(path)")
        }
        return path
    }
}
