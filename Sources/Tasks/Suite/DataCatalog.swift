import FoundationEssentials
import Protocol

/// Where each suite's public release comes from and which files its loaders need, relative to
/// the data folder (`data/` by default). `acbench data fetch` downloads, `acbench data check` verifies.
public struct DataRelease: Sendable {
    /// A file to download and how to unpack it into `destination` (relative to the data folder).
    public struct Download: Sendable {
        public var url: String
        /// `zip`, `tar.gz` or `file` (kept as downloaded).
        public var kind: String
        public var destination: String
        /// For archives: the folder inside the archive whose contents go to `destination` ("" = all);
        /// looked up inside the archive's single top folder when it is not at the top (GitHub archives).
        public var member: String
    }

    public var suite: String
    public var downloads: [Download]
    /// Files that must exist for the suite's units to run.
    public var required: [String]
    /// What a person must do by hand, if anything.
    public var note: String?
}

public enum DataCatalog {
    public static let releases: [DataRelease] = [
        DataRelease(
            suite: "longbench",
            downloads: [
                .init(url: "https://huggingface.co/datasets/THUDM/LongBench/resolve/main/data.zip", kind: "zip", destination: "longbench", member: "data"),
                .init(url: "https://files.pythonhosted.org/packages/source/j/jieba/jieba-0.42.1.tar.gz", kind: "tar.gz", destination: "jieba", member: "jieba-0.42.1/jieba"),
            ],
            required: LongBenchDataset.all.map { "longbench/\($0.name).jsonl" } + ["jieba/dict.txt", "jieba/finalseg/prob_emit.py"]),
        DataRelease(
            suite: "longgenbench",
            downloads: [.init(url: "https://raw.githubusercontent.com/Linking-ai/SCOPE/8cbae48/data/longgenbench_examples/gsm8k_30.jsonl", kind: "file", destination: "longgenbench/gsm8k_30.jsonl", member: "")],
            required: ["longgenbench/gsm8k_30.jsonl"],
            note: "mmlu_20.jsonl is not published; generate it with SCOPE's data_gen/longgenbench_MMLU.py --k 20 into longgenbench/"),
        DataRelease(
            suite: "worfbench",
            downloads: [.init(url: "https://codeload.github.com/zjunlp/WorfBench/tar.gz/38a6455", kind: "tar.gz", destination: "worfbench", member: "")],
            required: WorfBenchSuite.subsets.map { "worfbench/gold_traj/\($0)/graph_eval.json" } + ["worfbench/two_shot_examples.json"],
            note: "two_shot_examples.json is prompts/eval_prompt.py's two_shot_example exported as JSON {subset: [4 messages]}"),
        DataRelease(
            suite: "teval",
            downloads: TEvalRun.allCases.map {
                .init(url: "https://huggingface.co/datasets/lovesnowbest/T-Eval/resolve/main/data/\($0.fileName)", kind: "file", destination: "teval/\($0.fileName)", member: "")
            },
            required: TEvalRun.allCases.map { "teval/\($0.fileName)" }),
        DataRelease(
            suite: "agentboard",
            downloads: [
                .init(url: "https://huggingface.co/datasets/hkust-nlp/agentboard/resolve/main/data.tar.gz", kind: "tar.gz", destination: "agentboard", member: "data"),
                .init(url: "https://codeload.github.com/hkust-nlp/AgentBoard/tar.gz/2429689d1f94f625e3989900a6dfd48266c57bcf", kind: "tar.gz",
                      destination: "agentboard/prompts", member: "agentboard/prompts"),
            ],
            required: AgentBoardEnvironment.allCases.map { "agentboard/\($0.rawValue)/test.jsonl" }
                + Set(AgentBoardEnvironment.allCases.map(\.promptFile)).sorted().map { "agentboard/prompts/VanillaAgent/\($0)" },
            note: "weather, movie, todo and sheet episodes also need their services' credentials (docs/AGENTBOARD.md)"),
    ]

    public static func release(_ suite: String) -> DataRelease? { releases.first { $0.suite == suite } }

    /// `SHA256SUMS` lines (`<hex>  <path>`) for the suite's required files that exist.
    public static func checksums(_ r: DataRelease, root: String) -> [(path: String, sha256: String)] {
        r.required.compactMap { p in
            FileManager.default.contents(atPath: root + "/" + p).map { (p, Digest.sha256Hex($0)) }
        }
    }

    /// Problems with what is present: missing files, and files whose SHA-256 differs from the
    /// `<suite>.sha256` recorded at fetch time.
    public static func verify(_ r: DataRelease, root: String) -> [String] {
        var problems = r.required.filter { !FileManager.default.fileExists(atPath: root + "/" + $0) }.map { "missing \($0)" }
        if let recorded = FileManager.default.contents(atPath: root + "/\(r.suite).sha256") {
            var expected: [String: String] = [:]
            for line in String(decoding: recorded, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2 { expected[String(parts[1]).pyStripped()] = String(parts[0]) }
            }
            for (path, sum) in checksums(r, root: root) where expected[path].map({ $0 != sum }) == true {
                problems.append("checksum mismatch \(path)")
            }
        }
        return problems
    }
}
