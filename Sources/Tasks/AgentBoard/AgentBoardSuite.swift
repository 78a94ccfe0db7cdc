import Foundation
import Protocol

/// AgentBoard (ACBench's real-world capability): one task per environment (`task.subset`), each
/// episode played by the model against the environment's sidecar, scored by progress rate and success.
public struct AgentBoardSuite: MultiTurnSuite {
    public init() {}

    /// The environment a task names (`subset`), or `badData`.
    public static func environment(_ task: TaskSpec) throws -> AgentBoardEnvironment {
        guard let s = task.subset, let env = AgentBoardEnvironment(rawValue: s) else {
            let names = AgentBoardEnvironment.allCases.map(\.rawValue).joined(separator: ", ")
            throw SuiteError.badData("task '\(task.name)': agentboard needs subset = one of \(names), got \(task.subset.map { "'\($0)'" } ?? "none")")
        }
        return env
    }

    /// The AgentBoard data folder: `task.data`, default `data/agentboard`, against the data root.
    public static func dataDir(_ task: TaskSpec, context: SuiteContext) -> String {
        let d = task.data ?? "data/agentboard"
        return d.hasPrefix("/") ? d : context.dataRoot + "/" + d
    }

    public func episodes(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) throws -> [Episode] {
        let env = try Self.environment(task)
        var all = try AgentBoardEpisodes(env: env, task: task, dataDir: Self.dataDir(task, context: context)).all()
        if let limit = task.limit { all = Array(all.prefix(limit)) }
        let n = max(1, shardCount), lo = all.count * shard / n, hi = all.count * (shard + 1) / n
        return all[lo..<hi].enumerated().map { i, e in var e = e; e.index = i; return e }
    }

    /// AgentBoard's prompt file when present (`<data>/prompts/VanillaAgent/<file>`), else acbench's wording.
    public func agent(task: TaskSpec, context: SuiteContext) throws -> AgentPrompt {
        let env = try Self.environment(task)
        let file = Self.dataDir(task, context: context) + "/prompts/VanillaAgent/" + env.promptFile
        var (system, instruction, examples) = DefaultPrompts.prompt(for: env)
        var byKind: [String: [String]] = [:]
        if FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file),
                  case .object(let o)? = JSONTree.parse(String(decoding: data, as: UTF8.self)),
                  let i = o["instruction"]?.stringValue else {
                throw SuiteError.badData("\(file): expected a JSON object with instruction, examples and system_msg")
            }
            instruction = i
            examples = o["examples"]?.stringList ?? o["examples"]?.stringValue.map { [$0] } ?? []
            if case .object(let sets)? = o["examples"] {
                byKind = sets.compactMapValues { $0.stringList ?? $0.stringValue.map { [$0] } }
            }
            system = o["system_msg"]?.stringValue ?? "You are a helpful assistant."
        }
        return AgentPrompt(systemMessage: system, instruction: instruction, examples: examples, examplesByKind: byKind,
                           checkActions: env.checkActions, checkInventory: env.checkInventory)
    }

    /// `agentboard/tasks/*.py evaluate`: means of progress rate and success (AgentBoard's
    /// `success_rate`, kept under the report's key `success`), grounding accuracy where episodes
    /// record it, and the easy/hard splits where annotations give difficulties (0 when a split is empty).
    public func aggregate(_ results: [SampleResult]) -> [String: Double] {
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
        let pr = results.map { $0.scores["progress_rate"] ?? 0 }
        let sr = results.map { $0.scores["success"] ?? 0 }
        var out = ["progress_rate": mean(pr), "success": mean(sr)]
        if results.contains(where: { $0.scores["grounding_acc"] != nil }) {
            out["grounding_acc"] = mean(results.map { $0.scores["grounding_acc"] ?? 0 })
        }
        if results.contains(where: { $0.meta["difficulty"] != nil }) {
            for d in ["easy", "hard"] {
                let idx = results.indices.filter { results[$0].meta["difficulty"] == d }
                out["progress_rate_\(d)"] = mean(idx.map { pr[$0] })
                out["success_\(d)"] = mean(idx.map { sr[$0] })
            }
        }
        return out
    }
}
