import FoundationEssentials
import Protocol

/// Reads prediction files in the formats the reference evaluators read, as (prompt, output)
/// pairs that the suite's `score` accepts, so `acbench score` re-scores them offline:
///
/// - `longbench`: `pred/<model>/<dataset>.jsonl` lines `{pred, answers, all_classes, length}`;
///   the dataset is the file name's stem unless given.
/// - `longgenbench`: JSONL lines `{pred | output, answers}`; subset `gsm8k` (default) or `mmlu`.
/// - `worfbench`: the JSON array `[{query: <gold item>, workflow: <text or error object>}]`;
///   the subset is the `query.source` field unless given.
/// - `teval`: a data file with `prediction` filled in (JSON object of samples); the run is
///   the file name without `.json` unless given (e.g. `plan_str`).
public enum PredictionFiles {
    /// `options`: `dataset` / `subset` / `run`, and `jieba` (folder) for the Chinese LongBench metrics.
    public static func load(suite: String, file: String, options: [String: String] = [:]) throws -> [(EvalPrompt, String)] {
        let stem = String(file.split(separator: "/").last ?? "").split(separator: ".").first.map(String.init) ?? ""
        switch suite {
        case "longbench": return try longBench(file, dataset: options["dataset"] ?? stem, jieba: options["jieba"] ?? "data/jieba")
        case "longgenbench": return try longGenBench(file, subset: options["subset"] ?? "gsm8k")
        case "worfbench": return try worfBench(file, subset: options["subset"])
        case "teval": return try tEval(file, run: options["run"] ?? stem)
        default: throw SuiteError.badData("score: no prediction format for suite '\(suite)' (longbench, longgenbench, worfbench, teval)")
        }
    }

    private static func longBench(_ file: String, dataset: String, jieba: String) throws -> [(EvalPrompt, String)] {
        guard let d = LongBenchDataset.named(dataset) else {
            throw SuiteError.badData("\(file): '\(dataset)' is not a LongBench dataset; pass --dataset")
        }
        let lines = try JSONValue.parseLines(file: file)
        // eval.py scores every line with the last line's all_classes.
        let classes = lines.last.flatMap { $0.value["all_classes"] }.flatMap { $0 == .null ? nil : $0 }
        return try lines.enumerated().map { n, line in
            let r = RecordReader(file: file, location: "line \(line.line)", value: line.value)
            var meta = ["dataset": d.name, "answers": JSONValue.array(try r.strings("answers").map { .string($0) }).serialized,
                        "length": String(line.value["length"]?.intValue ?? 0), "chat": "none", "jieba": jieba]
            if let classes { meta["all_classes"] = classes.serialized }
            return (EvalPrompt(sampleId: "\(d.name)-\(n)", index: n, body: .completion(""), maxTokens: 0, meta: meta), try r.string("pred"))
        }
    }

    private static func longGenBench(_ file: String, subset: String) throws -> [(EvalPrompt, String)] {
        try JSONValue.parseLines(file: file).enumerated().map { n, line in
            let r = RecordReader(file: file, location: "line \(line.line)", value: line.value)
            let pred = line.value["pred"] != nil ? try r.string("pred") : try r.string("output")
            let meta = ["subset": subset, "answers": JSONValue.array(try r.strings("answers").map { .string($0) }).serialized]
            return (EvalPrompt(sampleId: "\(subset)-\(n)", index: n, body: .completion(""), maxTokens: 0, meta: meta), pred)
        }
    }

    private static func worfBench(_ file: String, subset: String?) throws -> [(EvalPrompt, String)] {
        guard case .array(let items) = try JSONValue.parse(file: file) else {
            throw SuiteError.badData("\(file): expected a JSON array of {query, workflow}")
        }
        return try items.enumerated().map { n, item in
            let r = RecordReader(file: file, location: "item \(n)", value: item)
            let query = try r.require("query")
            let q = RecordReader(file: file, location: "item \(n) query", value: query)
            guard let turns = try q.require("conversations").arrayValue, let last = turns.last,
                  let gold = last["content"]?.stringValue else { throw q.error("conversations", "a list of messages with content") }
            let s = subset ?? query["source"]?.stringValue ?? ""
            // A non-string workflow (an error object) is unparseable, as in the reference.
            let output = try r.require("workflow").stringValue ?? ""
            return (EvalPrompt(sampleId: "\(s)-\(n)", index: n, body: .completion(""), maxTokens: 0, meta: ["subset": s, "gold": gold]), output)
        }
    }

    private static func tEval(_ file: String, run key: String) throws -> [(EvalPrompt, String)] {
        guard let run = TEvalRun(rawValue: key) else {
            throw SuiteError.badData("\(file): '\(key)' is not a T-Eval run; pass --run (\(TEvalRun.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard case .object(let pairs) = try JSONValue.parse(file: file) else {
            throw SuiteError.badData("\(file): expected a JSON object mapping sample ids to samples")
        }
        return try pairs.enumerated().map { n, pair in
            let r = RecordReader(file: file, location: "sample \(pair.0.debugDescription)", value: pair.1)
            let prediction = try r.string("prediction")
            _ = try r.require("ground_truth")
            var stored = pair.1.objectValue ?? []
            stored.removeAll { $0.0 == "origin_prompt" || $0.0 == "prediction" }
            let meta = ["run": run.rawValue, "id": pair.0, "sample": JSONValue.object(stored).serialized, "postprocessed": "1"]
            return (EvalPrompt(sampleId: "\(run.rawValue)-\(pair.0)", index: n, body: .completion(""), maxTokens: 0, meta: meta), prediction)
        }
    }
}
