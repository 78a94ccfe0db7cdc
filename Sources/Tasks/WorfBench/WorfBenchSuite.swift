import FoundationEssentials
import Protocol

/// WorfBench as ACBench runs it (spec §1): the gold items of each subset, two-shot prompts
/// rendered as `role: content` lines without a chat template, and the node-level P/R/F1 of the
/// reference evaluator (sentence similarity, maximum-weight matching, LIS over gold orders).
///
/// Task fields: `subset` is a comma-separated list of wikihow, toolbench, toolalpaca, lumos,
/// alfworld, webshop, os (default: all seven); `data` the folder holding
/// `gold_traj/<subset>/graph_eval.json` and `two_shot_examples.json` (default `worfbench`);
/// `limit` keeps the first items per subset. Param `variant = "generated"`: procedural data.
/// Sampling as ACBench: `top_p` 0.95 and the stop token 128009 come from the sweep's generation
/// settings; the stop strings are set here.
public struct WorfBenchSuite: SingleTurnSuite {
    public static let subsets = ["wikihow", "toolbench", "toolalpaca", "lumos", "alfworld", "webshop", "os"]
    public static let maxTokens = 1024
    public static let stop = ["END", "---", "\n\n"]

    private let embedder: (any SentenceEmbedder)?

    /// `embedder` nil: the process-wide one (`SentenceEmbedders.install`).
    public init(embedder: (any SentenceEmbedder)? = nil) { self.embedder = embedder }

    /// ACBench's prompt: system, the four two-shot messages, the user turn with
    /// "Now it's your turn.\n" prepended, each as `role: content`, joined by newlines.
    public static func promptText(gold: WorfBenchGold, twoShot: [ChatMessage]) -> String {
        var messages = [gold.conversations[0]] + twoShot
        let user = gold.conversations[1]
        messages.append(ChatMessage(role: user.role, content: "Now it's your turn.\n" + user.content))
        return messages.map { $0.role + ": " + $0.content }.joined(separator: "\n")
    }

    static func subsets(_ task: TaskSpec) throws -> [String] {
        guard let s = task.subset, !s.isEmpty else { return subsets }
        return try s.split(separator: ",").map { name in
            let n = String(name).pyStripped()
            guard subsets.contains(n) else { throw SuiteError.badData("worfbench: unknown subset '\(n)' (known: \(subsets.joined(separator: ", ")))") }
            return n
        }
    }

    public func prompts(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) async throws -> [EvalPrompt] {
        let data = try WorfBenchData.load(task: task, dataRoot: context.dataRoot, subsets: Self.subsets(task))
        var all: [(String, WorfBenchGold)] = []
        for (subset, golds) in data.golds { all += golds.map { (subset, $0) } }
        let range = Self.shardRange(count: all.count, shard: shard, shardCount: shardCount)
        return all[range].enumerated().map { offset, pair in
            let (subset, gold) = pair
            return EvalPrompt(
                sampleId: "\(subset)-\(gold.id)", index: offset,
                body: .completion(Self.promptText(gold: gold, twoShot: data.twoShot[subset] ?? [])),
                maxTokens: task.maxTokens(reference: Self.maxTokens), stop: Self.stop, meta: ["subset": subset, "gold": gold.workflow])
        }
    }

    /// Scores `(precision, recall, f1)` in node mode; `skipped` = 1 for an unparseable output
    /// (zeros, still counted); `node_error` = 1 where the reference raises (zeros, with the reason in meta).
    public func score(prompt: EvalPrompt, output: String) throws -> SampleResult {
        var meta = ["subset": prompt.meta["subset"] ?? ""]
        var scores = ["precision": 0.0, "recall": 0.0, "f1": 0.0, "skipped": 0.0, "node_error": 0.0]
        guard let gold = WorkflowGraph.parse(prompt.meta["gold"] ?? "") else {
            throw SuiteError.scorer("worfbench sample \(prompt.sampleId): the gold workflow does not parse")
        }
        if let pred = WorkflowGraph.parse(output) {
            let similarity = WorfBenchScorer.embeddingSimilarity(try embedder ?? SentenceEmbedders.required(for: "worfbench"))
            do {
                let r = try WorfBenchScorer.nodeScore(pred: pred, gold: gold, similarity: similarity)
                scores["precision"] = r.precision; scores["recall"] = r.recall; scores["f1"] = r.f1
            } catch let e as SuiteError {
                scores["node_error"] = 1; meta["error"] = e.description
            }
        } else {
            scores["skipped"] = 1
        }
        return SampleResult(sampleId: prompt.sampleId, index: prompt.index, scores: scores, output: output, meta: meta)
    }

    /// Per subset `<subset>/precision|recall|f1` (sums in order over the subset's item count) and
    /// `f1` = plain mean of the subset F1s; `node_errors` counts items where the reference aborts.
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        var order: [String] = [], items: [String: [PRF?]] = [:], errors = 0.0
        for r in results.sorted(by: { $0.index < $1.index }) {
            let s = r.meta["subset"] ?? ""
            if items[s] == nil { order.append(s) }
            errors += r.scores["node_error"] ?? 0
            let skipped = (r.scores["skipped"] ?? 0) != 0 || (r.scores["node_error"] ?? 0) != 0
            items[s, default: []].append(skipped ? nil : PRF(precision: r.scores["precision"] ?? 0, recall: r.scores["recall"] ?? 0, f1: r.scores["f1"] ?? 0))
        }
        var out: [String: Double] = ["node_errors": errors], total = 0.0
        for s in order {
            let m = WorfBenchAggregate.mean(items[s]!, count: items[s]!.count)
            out["\(s)/precision"] = m.precision; out["\(s)/recall"] = m.recall; out["\(s)/f1"] = m.f1
            total += m.f1
        }
        if !order.isEmpty { out["f1"] = total / Double(order.count) }
        return out
    }
}

/// The gold items and two-shot messages of a WorfBench task (release files or generated).
struct WorfBenchData {
    var golds: [(String, [WorfBenchGold])]
    var twoShot: [String: [ChatMessage]]

    static func load(task: TaskSpec, dataRoot: String, subsets: [String]) throws -> WorfBenchData {
        let generated = task.params["variant"]?.stringValue == "generated"
        let folder = generated ? try WorfBenchGenerated.folder()
            : ((task.data ?? "worfbench").hasPrefix("/") ? task.data! : dataRoot + "/" + (task.data ?? "worfbench"))
        let shotsFile = folder + "/two_shot_examples.json"
        guard FileManager.default.fileExists(atPath: shotsFile) else {
            throw SuiteError.dataMissing("run acbench data fetch worfbench (no \(shotsFile))")
        }
        var twoShot: [String: [ChatMessage]] = [:]
        for (subset, v) in try JSONValue.parse(file: shotsFile).objectValue ?? [] {
            twoShot[subset] = try (v.arrayValue ?? []).enumerated().map { k, m in
                let r = RecordReader(file: shotsFile, location: "\(subset)[\(k)]", value: m)
                return ChatMessage(role: try r.string("role"), content: try r.string("content"))
            }
        }
        var golds: [(String, [WorfBenchGold])] = []
        for subset in subsets {
            let candidates = ["\(folder)/gold_traj/\(subset)/graph_eval.json", "\(folder)/gold/\(subset)/graph_eval.json", "\(folder)/\(subset)/graph_eval.json"]
            guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw SuiteError.dataMissing("run acbench data fetch worfbench (no \(candidates[0]))")
            }
            guard let shots = twoShot[subset], shots.count == 4 else {
                throw SuiteError.badData("\(shotsFile): '\(subset)': expected 4 two-shot messages")
            }
            _ = shots
            var items = try WorfBenchGold.load(file: file)
            if let limit = task.limit { items = Array(items.prefix(max(0, limit))) }
            golds.append((subset, items))
        }
        return WorfBenchData(golds: golds, twoShot: twoShot)
    }
}
