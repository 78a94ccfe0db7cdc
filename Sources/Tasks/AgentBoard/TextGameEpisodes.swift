import Foundation
import Protocol

/// Jericho and ALFWorld episodes from AgentBoard's annotation files and the game files released
/// with its data (docs/AGENTBOARD.md, "Data"). Both need the data: the simulators cannot make
/// these episodes themselves.
extension AgentBoardEpisodes {
    /// AgentBoard's 20 Jericho games in its config's order (`env.jericho.game_name`); annotation
    /// line i scores game i, as AgentBoard pairs them.
    static let jerichoGames = ["905", "acorncourt", "afflicted", "balances", "dragon", "jewel", "library", "omniquest",
                               "reverb", "snacktime", "zenon", "zork1", "zork2", "zork3", "detective", "night", "pentari",
                               "weapon", "huntdark", "loose"]
    /// The games AgentBoard loads as `<name>.z8`; every other game is `<name>.z5`.
    static let jerichoZ8Games: Set<String> = ["afflicted", "anchor", "snacktime", "partyfoul"]

    /// AgentBoard's alfworld example sets by task folder prefix (`tasks/alfworld.py`, `prefixes`).
    static let alfworldPromptKinds = [("pick_and_place", "put"), ("pick_clean_then_place", "clean"), ("pick_heat_then_place", "heat"),
                                      ("pick_cool_then_place", "cool"), ("look_at_obj", "examine"), ("pick_two_obj", "puttwo")]

    /// Where AgentBoard's data keeps the Jericho story files (`env.jericho.game_dir`).
    var jerichoGameDir: String { dataDir + "/jericho/z-machine-games-master/jericho-game-suite" }
    /// Where AgentBoard's data keeps the ALFWorld games it evaluates (the `eval_out_of_distribution` split).
    var alfworldGameDir: String { dataDir + "/alfworld/json_2.1.1/valid_unseen" }

    /// One episode per annotation line, line i playing `games[i]` (`[tasks.params] games`, default
    /// AgentBoard's list). The line's `goal` is the agent's goal; `additional_info.init_obs`, when
    /// present, is shown as the first observation instead of the game's own opening.
    func jericho(_ labels: [(line: Int, fields: [String: JSONTree])], steps: Int) throws -> [Episode] {
        let games = try stringList("games") ?? Self.jerichoGames
        guard labels.count == games.count else {
            throw SuiteError.badData("\(labelFile): \(labels.count) annotation lines for \(games.count) Jericho games "
                + "(line i plays game i of params.games, default AgentBoard's \(Self.jerichoGames.count))")
        }
        return try zip(games, labels).enumerated().map { i, pair in
            let (name, (n, line)) = pair
            let (subgoals, difficulty) = try Self.subgoalsAndDifficulty(line, file: labelFile, line: n)
            var reset: [String: ParamValue] = ["game_file": .string(try jerichoGameFile(name, line: n))]
            if case .object(let info)? = line["additional_info"], let opening = info["init_obs"]?.stringValue {
                reset["init_obs"] = .string(opening)
            }
            return Episode(sampleId: "jericho-\(name)", index: i, environment: "jericho", reset: reset,
                           goal: line["goal"]?.stringValue, rule: .jericho(patterns: subgoals), difficulty: difficulty,
                           maxSteps: steps)
        }
    }

    /// One episode per annotation line, its game `<alfworldGameDir>/<additional_info.description>/game.tw-pddl`,
    /// in AgentBoard's order (the game paths sorted). The goal is the game's own (`Your task is to: …`);
    /// the prompt's example set is the one for the task's kind (`put`, `clean`, …).
    func alfworld(_ labels: [(line: Int, fields: [String: JSONTree])], steps: Int) throws -> [Episode] {
        let rows = try labels.map { n, line in
            guard case .object(let info)? = line["additional_info"], let name = info["description"]?.stringValue, !name.isEmpty else {
                throw SuiteError.badData("\(labelFile) line \(n): expected additional_info.description (<task folder>/<trial folder>)")
            }
            let (subgoals, difficulty) = try Self.subgoalsAndDifficulty(line, file: labelFile, line: n)
            let file = alfworldGameDir + "/" + name + "/game.tw-pddl"
            guard FileManager.default.fileExists(atPath: file) else {
                throw SuiteError.dataMissing("AgentBoard alfworld game '\(name)' (\(labelFile) line \(n)): \(file) is missing; "
                    + "it comes with AgentBoard's data (alfworld/json_2.1.1); run `acbench data fetch agentboard`")
            }
            return (name: name, file: file, subgoals: subgoals, difficulty: difficulty)
        }
        return rows.sorted { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }.enumerated().map { i, r in
            Episode(sampleId: "alfworld-" + r.name.replacingOccurrences(of: "/", with: "-"), index: i, environment: "alfworld",
                    reset: ["game_file": .string(r.file)], rule: .alfworld(subgoals: r.subgoals), difficulty: r.difficulty,
                    maxSteps: steps, promptKind: Self.alfworldPromptKinds.first { r.name.hasPrefix($0.0) }?.1)
        }
    }

    /// The story file of a Jericho game: `<name>.z5` (`.z8` for AgentBoard's z8 games), else the other extension.
    private func jerichoGameFile(_ name: String, line: Int) throws -> String {
        let z8 = Self.jerichoZ8Games.contains(name)
        let candidates = (z8 ? [".z8", ".z5"] : [".z5", ".z8"]).map { jerichoGameDir + "/" + name + $0 }
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw SuiteError.dataMissing("AgentBoard jericho game '\(name)' (\(labelFile) line \(line)): \(candidates[0]) is missing; "
                + "it comes with AgentBoard's data (jericho/z-machine-games-master); run `acbench data fetch agentboard`")
        }
        return file
    }

    /// A line's `subgoals` (a list of strings) and `difficulty` (AgentBoard requires both).
    static func subgoalsAndDifficulty(_ line: [String: JSONTree], file: String, line n: Int) throws -> ([String], String) {
        guard let subgoals = line["subgoals"]?.stringList else {
            throw SuiteError.badData("\(file) line \(n): expected subgoals (a list of strings)")
        }
        guard let difficulty = line["difficulty"]?.stringValue else {
            throw SuiteError.badData("\(file) line \(n): expected difficulty (\"easy\" or \"hard\")")
        }
        return (subgoals, difficulty)
    }
}
