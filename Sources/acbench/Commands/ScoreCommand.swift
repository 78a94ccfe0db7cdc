import ArgumentParser
import Protocol
import Tasks

/// `acbench score SUITE --predictions FILE`: re-scores a prediction file offline with the suite's
/// scorer (to compare with the original scripts, or after a scorer fix without regenerating).
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Re-score a prediction file offline and print per-sample and aggregate scores.",
        discussion: """
            Formats (those the reference evaluators read): longbench pred/<model>/<dataset>.jsonl; \
            longgenbench JSONL {pred, answers}; worfbench [{query, workflow}]; teval a data file with \
            "prediction" filled in. WorfBench and T-Eval plan/reason/rru need the sentence encoder.
            """)

    @Argument(help: "Suite: longbench, longgenbench, worfbench or teval.")
    var suite: String

    @Option(help: "The prediction file.")
    var predictions: String

    @Option(help: "LongBench dataset (default: the file name's stem).")
    var dataset: String?

    @Option(help: "LongGenBench subset (gsm8k, mmlu) or WorfBench subset.")
    var subset: String?

    @Option(name: .customLong("run"), help: "T-Eval run key, e.g. plan_str (default: the file name's stem).")
    var runKey: String?

    @Option(help: "Folder of jieba's dictionary for the Chinese LongBench metrics.")
    var jieba: String = "data/jieba"

    @Flag(help: "Print only the aggregate.")
    var quiet = false

    func run() throws {
        guard let scorer = SuiteRegistry.singleTurn(suite) else { throw CLIError("score: unknown suite '\(suite)'") }
        var options = ["jieba": jieba]
        if let dataset { options["dataset"] = dataset }
        if let subset { options["subset"] = subset }
        if let runKey { options["run"] = runKey }
        do {
            let pairs = try PredictionFiles.load(suite: suite, file: predictions, options: options)
            var results: [SampleResult] = []
            for (prompt, output) in pairs {
                let r = try scorer.score(prompt: prompt, output: output)
                results.append(r)
                if !quiet { print(r.sampleId + "\t" + Self.render(r.scores) + (r.meta["error"].map { "\t" + $0 } ?? "")) }
            }
            print("aggregate\t" + Self.render(scorer.aggregate(results)))
        } catch let e as SuiteError { throw CLIError("score: \(e)") }
    }

    static func render(_ scores: [String: Double]) -> String {
        scores.keys.sorted().filter { !$0.hasSuffix(".float32") }.map { "\($0)=\(scores[$0]!)" }.joined(separator: " ")
    }
}
