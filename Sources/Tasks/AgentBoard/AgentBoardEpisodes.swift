import Foundation
import Protocol

/// Builds a task's episodes: from AgentBoard's released annotation files under the data folder
/// (`<data>/<env>/test.jsonl`) when present; otherwise, for environments that generate their
/// own episodes, a documented seeded selection (docs/AGENTBOARD.md) scored by the environment's
/// native reward; otherwise `SuiteError.dataMissing`.
struct AgentBoardEpisodes {
    let env: AgentBoardEnvironment
    let task: TaskSpec
    /// The AgentBoard data folder (`task.data`, default `data/agentboard`, against the data root).
    let dataDir: String

    /// AgentBoard's BabyAI levels and seeds (main_results_all_tasks.yaml: `game_level`, `seed`, `env_num_per_task`).
    static let babyaiLevels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 27, 28, 29, 31, 32]
    static let babyaiSeed = 1234, babyaiPerLevel = 4

    /// ScienceWorld's 30 task names, in the simulator's order.
    static let scienceTasks = [
        "boil", "change-the-state-of-matter-of", "chemistry-mix", "chemistry-mix-paint-secondary-color",
        "chemistry-mix-paint-tertiary-color", "find-animal", "find-living-thing", "find-non-living-thing", "find-plant",
        "freeze", "grow-fruit", "grow-plant", "identify-life-stages-1", "identify-life-stages-2",
        "inclined-plane-determine-angle", "inclined-plane-friction-named-surfaces", "inclined-plane-friction-unnamed-surfaces",
        "lifespan-longest-lived", "lifespan-longest-lived-then-shortest-lived", "lifespan-shortest-lived",
        "measure-melting-point-known-substance", "measure-melting-point-unknown-substance", "melt",
        "mendelian-genetics-known-plant", "mendelian-genetics-unknown-plant", "power-component",
        "power-component-renewable-vs-nonrenewable-energy", "test-conductivity", "test-conductivity-of-unknown-substances",
        "use-thermometer",
    ]

    var labelFile: String { dataDir + "/" + env.rawValue + "/test.jsonl" }

    /// All episodes of the task (before sharding and `limit`).
    func all() throws -> [Episode] {
        let rows = FileManager.default.fileExists(atPath: labelFile) ? try AnnotationFile.numbered(labelFile) : nil
        let labels = rows?.map(\.fields)
        let steps = try int("max_steps") ?? AgentBoardEnvironment.maxSteps
        switch env {
        case .babyai: return try babyai(labels, steps: steps)
        case .scienceworld: return try scienceworld(labels, steps: steps)
        case .pddl: return try pddl(steps: steps)
        case .jericho, .alfworld:
            guard let rows else { throw missingData() }
            return try env == .jericho ? jericho(rows, steps: steps) : alfworld(rows, steps: steps)
        case .toolQuery, .toolOperation:
            guard let labels else { throw missingData() }
            return try toolEpisodes(labels, steps: steps)
        }
    }

    /// The error for an environment whose episodes need AgentBoard's released data.
    private func missingData() -> SuiteError {
        SuiteError.dataMissing("AgentBoard \(env.rawValue) needs AgentBoard's released data (\(labelFile) and the "
                + "environment's game files); run `acbench data fetch agentboard` (or set the task's data folder)")
    }

    /// Level-major, seed-minor, as AgentBoard enumerates them; annotation line i scores episode i.
    private func babyai(_ labels: [[String: JSONTree]]?, steps: Int) throws -> [Episode] {
        let levels = try intList("levels") ?? Self.babyaiLevels
        let perLevel = try int("episodes_per_level") ?? Self.babyaiPerLevel
        let seed = try int("seed") ?? Self.babyaiSeed
        let pairs = levels.flatMap { level in (0..<perLevel).map { (level, seed + $0) } }
        if let labels, labels.count != pairs.count {
            throw SuiteError.badData("\(labelFile): \(labels.count) annotation lines for \(pairs.count) BabyAI episodes (levels × seeds)")
        }
        return try pairs.enumerated().map { i, p in
            let label = labels?[i]
            return Episode(sampleId: "babyai-level\(p.0)-seed\(p.1)", index: i, environment: "babyai",
                           reset: ["level": .int(p.0), "seed": .int(p.1)],
                           rule: try label.map { try AnnotationFile.babyaiRule($0, file: labelFile, line: i + 1) } ?? .native(babyaiQuirks: true),
                           difficulty: label?["difficulty"]?.stringValue, maxSteps: steps)
        }
    }

    /// With annotations: their (task, variation) list; without: `variations_per_task` seeded
    /// test-split variations of every task (the sidecar draws them from `seed`).
    private func scienceworld(_ labels: [[String: JSONTree]]?, steps: Int) throws -> [Episode] {
        if let labels {
            return try labels.enumerated().map { i, l in
                guard case .object(let info)? = l["additional_info"], let name = info["env_name"]?.stringValue,
                      case .number(let v)? = info["var"], let subgoals = l["subgoals"]?.stringList else {
                    throw SuiteError.badData("\(labelFile) line \(i + 1): expected additional_info.env_name, additional_info.var and subgoals")
                }
                return Episode(sampleId: "scienceworld-\(name)-var\(Int(v))", index: i, environment: "scienceworld",
                               reset: ["task": .string(name), "variation": .int(Int(v))], goal: l["goal"]?.stringValue,
                               rule: .scienceworld(subgoals: subgoals), difficulty: l["difficulty"]?.stringValue,
                               maxSteps: steps)
            }
        }
        let per = try int("variations_per_task") ?? 1
        let seed = try int("seed") ?? 0
        let names = try stringList("tasks") ?? Self.scienceTasks
        return names.flatMap { name in (0..<per).map { (name, seed + $0) } }.enumerated().map { i, p in
            Episode(sampleId: "scienceworld-\(p.0)-seed\(p.1)", index: i, environment: "scienceworld",
                    reset: ["task": .string(p.0), "seed": .int(p.1)], rule: .native(babyaiQuirks: false),
                    maxSteps: steps)
        }
    }

    /// pddlgym's bundled problems (gripper: 10, blocks: 5 in pddlgym 0.0.7), domain by domain; the
    /// goal literals come from the sidecar's `reset`. AgentBoard's own problem files (barman,
    /// tyreworld…) need its pddlgym fork and are not read.
    private func pddl(steps: Int) throws -> [Episode] {
        let counts = ["gripper": 10, "blocks": 5]
        let domains = try stringList("domains") ?? ["gripper", "blocks"]
        var pairs: [(String, Int)] = []
        for d in domains {
            guard let n = counts[d] else {
                throw SuiteError.badData("task '\(task.name)': params.domains: unknown PDDL domain '\(d)' (known: gripper, blocks)")
            }
            pairs += (0..<min(n, try int("problems_per_domain") ?? n)).map { (d, $0) }
        }
        return pairs.enumerated().map { i, p in
            Episode(sampleId: "pddl-\(p.0)-\(p.1)", index: i, environment: "pddl",
                    reset: ["domain": .string(p.0), "problem": .int(p.1)], rule: .pddl(goal: []), maxSteps: steps)
        }
    }

    func int(_ key: String) throws -> Int? {
        switch task.params[key] {
        case nil: return nil
        case .int(let v)?: return v
        case let other?: throw SuiteError.badData("task '\(task.name)': params.\(key) must be an integer, got \(other)")
        }
    }

    /// A comma-separated list (`"1,2,3"`) or a single value.
    func stringList(_ key: String) throws -> [String]? {
        guard let v = task.params[key] else { return nil }
        return v.description.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func intList(_ key: String) throws -> [Int]? {
        try stringList(key).map { items in
            try items.map { s in
                guard let i = Int(s) else { throw SuiteError.badData("task '\(task.name)': params.\(key) must list integers, got '\(s)'") }
                return i
            }
        }
    }
}
