import Foundation
import Protocol
import Testing
@testable import Tasks

/// Jericho and ALFWorld episodes from AgentBoard's annotation files: games resolved under the data
/// folder as AgentBoard lays it out, and clear errors for missing games and malformed lines.
@Suite("AgentBoardTextGames")
struct AgentBoardTextGameTests {
    /// A scratch data root holding `data/agentboard/<files>` (path → contents).
    struct DataFolder {
        let context = SuiteContext(dataRoot: NSTemporaryDirectory() + "acbench-textgames-\(UUID().uuidString.prefix(6))")
        var agentboard: String { context.dataRoot + "/data/agentboard" }

        func write(_ files: [String: String]) throws {
            for (path, text) in files {
                let full = agentboard + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
        }

        func episodes(_ env: String, params: [String: ParamValue] = [:]) throws -> [Episode] {
            try AgentBoardSuite().episodes(task: TaskSpec(name: env, suite: "agentboard", subset: env, params: params),
                                           shard: 0, shardCount: 1, context: context)
        }

        func remove() { try? FileManager.default.removeItem(atPath: context.dataRoot) }
    }

    static let suiteDir = "jericho/z-machine-games-master/jericho-game-suite/"
    static let alfworldDir = "alfworld/json_2.1.1/valid_unseen/"

    /// The error's message when `body` throws the expected `SuiteError` case, else an issue.
    static func message(_ expected: String, _ body: () throws -> Any) -> String {
        do {
            _ = try body()
            Issue.record("no error")
        } catch let e as SuiteError {
            switch (expected, e) {
            case ("dataMissing", .dataMissing(let m)), ("badData", .badData(let m)): return m
            default: Issue.record("expected \(expected), got \(e)")
            }
        } catch { Issue.record("\(error)") }
        return ""
    }

    @Test func jerichoLinesPlayTheListedGames() throws {
        let d = DataFolder()
        defer { d.remove() }
        try d.write([
            "jericho/test.jsonl": """
                {"goal": "Find the lamp.", "subgoals": ["You see a lamp", "Taken."], "difficulty": "easy", "additional_info": {}}

                {"goal": "Escape.", "subgoals": ["You are outside"], "difficulty": "hard", "additional_info": {"init_obs": "A cell."}}
                """,
            Self.suiteDir + "first.z5": "", Self.suiteDir + "snacktime.z8": "",
        ])
        let e = try d.episodes("jericho", params: ["games": .string("first,snacktime"), "max_steps": .int(12)])
        #expect(e.map(\.sampleId) == ["jericho-first", "jericho-snacktime"])
        #expect(e[0].reset == ["game_file": .string(d.agentboard + "/" + Self.suiteDir + "first.z5")])
        #expect(e[1].reset == ["game_file": .string(d.agentboard + "/" + Self.suiteDir + "snacktime.z8"), "init_obs": .string("A cell.")])
        #expect(e[0].rule == .jericho(patterns: ["You see a lamp", "Taken."]) && e[0].goal == "Find the lamp.")
        #expect(e.map(\.difficulty) == ["easy", "hard"] && e.allSatisfy { $0.maxSteps == 12 && $0.environment == "jericho" })
    }

    @Test func jerichoErrorsNameTheFileAndLine() throws {
        let d = DataFolder()
        defer { d.remove() }
        let line = #"{"goal": "g", "subgoals": ["a"], "difficulty": "easy"}"#
        try d.write(["jericho/test.jsonl": line])
        // AgentBoard's own list has 20 games: one line cannot be paired with them.
        #expect(Self.message("badData") { try d.episodes("jericho") }.contains("1 annotation lines for 20 Jericho games"))
        let missing = Self.message("dataMissing") { try d.episodes("jericho", params: ["games": .string("zork1")]) }
        #expect(missing.contains(d.agentboard + "/" + Self.suiteDir + "zork1.z5") && missing.contains("line 1"), "\(missing)")
        try d.write(["jericho/test.jsonl": line + "\n\n{\"goal\": \"g\", \"subgoals\": \"a\", \"difficulty\": \"easy\"}",
                     Self.suiteDir + "a.z5": "", Self.suiteDir + "b.z5": ""])
        let bad = Self.message("badData") { try d.episodes("jericho", params: ["games": .string("a,b")]) }
        #expect(bad.contains("jericho/test.jsonl line 3: expected subgoals"), "\(bad)")  // the file's line, blank lines counted
        try d.write(["jericho/test.jsonl": line + "\n{not json"])
        #expect(Self.message("badData") { try d.episodes("jericho", params: ["games": .string("a,b")]) }.contains("line 2: not a JSON object"))
        try d.write(["jericho/test.jsonl": #"{"subgoals": ["a"]}"#])
        #expect(Self.message("badData") { try d.episodes("jericho", params: ["games": .string("a")]) }.contains("line 1: expected difficulty"))
    }

    @Test func alfworldGamesFromDescriptionsInAgentBoardsOrder() throws {
        let d = DataFolder()
        defer { d.remove() }
        let second = "pick_heat_then_place_in_recep-Egg-None-Fridge-2/trial_T2"
        let first = "look_at_obj_in_light-Book-None-DeskLamp-1/trial_T1"
        try d.write([
            "alfworld/test.jsonl": """
                {"goal": "heat an egg", "subgoals": ["You heat the egg"], "difficulty": "hard", "additional_info": {"description": "\(second)"}}
                {"goal": "look at a book", "subgoals": ["You pick up the book", "You turn on"], "difficulty": "easy", "additional_info": {"description": "\(first)"}}
                """,
            Self.alfworldDir + second + "/game.tw-pddl": "{}", Self.alfworldDir + first + "/game.tw-pddl": "{}",
        ])
        let e = try d.episodes("alfworld")
        #expect(e.map(\.sampleId) == ["alfworld-look_at_obj_in_light-Book-None-DeskLamp-1-trial_T1",
                                      "alfworld-pick_heat_then_place_in_recep-Egg-None-Fridge-2-trial_T2"])
        #expect(e.map(\.index) == [0, 1] && e.map(\.difficulty) == ["easy", "hard"])
        #expect(e[0].reset == ["game_file": .string(d.agentboard + "/" + Self.alfworldDir + first + "/game.tw-pddl")])
        #expect(e[0].rule == .alfworld(subgoals: ["You pick up the book", "You turn on"]) && e[0].goal == nil && e[0].maxSteps == 30)
        #expect(e.map(\.promptKind) == ["examine", "heat"])
    }

    /// AgentBoard's alfworld prompt file keys its examples by task kind; an episode gets its kind's
    /// examples joined into one, as AgentBoard's alfworld task passes them.
    @Test func alfworldExamplesByTaskKind() throws {
        let d = DataFolder()
        defer { d.remove() }
        try d.write(["prompts/VanillaAgent/alfworld_base.json": """
            {"instruction": "I", "system_msg": "S", "examples": {"put": ["P1\\n", "P2"], "heat": ["H"]}}
            """])
        let prompt = try AgentBoardSuite().agent(task: TaskSpec(name: "a", suite: "agentboard", subset: "alfworld"), context: d.context)
        #expect(prompt.examples.isEmpty && prompt.examplesByKind == ["put": ["P1\n", "P2"], "heat": ["H"]])
        #expect(prompt.forEpisode(kind: "put").examples == ["P1\nP2"] && prompt.forEpisode(kind: "clean") == prompt)
        #expect(prompt.forEpisode(kind: "heat").user(goal: "G", history: []).hasPrefix("I\nHere are examples:\nH\nYou should perform"))
    }

    /// jericho ends the episode when the game ends, but only progress 1 is a success (AgentBoard's `won`).
    @Test func jerichoGameOverIsNotASuccess() {
        var t = ProgressTracker(.jericho(patterns: ["You see a lamp", "Taken"]))
        t.step(EnvStep(observation: "You see a lamp.", envDone: false))
        #expect(!t.done && !t.success && t.reward == 0.5)
        t.step(EnvStep(observation: "*** You have died ***", envDone: true))
        #expect(t.done && !t.success && t.reward == 0.5)
        var won = ProgressTracker(.jericho(patterns: ["Taken"]))
        won.step(EnvStep(observation: "Taken.", envDone: false))
        #expect(won.done && won.success)
        var alf = ProgressTracker(.alfworld(subgoals: ["x"]))
        alf.step(EnvStep(observation: "y", envDone: true))
        #expect(alf.done && alf.success && alf.reward == 1)
    }

    @Test func alfworldErrorsNameTheFileAndLine() throws {
        let d = DataFolder()
        defer { d.remove() }
        try d.write(["alfworld/test.jsonl": #"{"subgoals": ["a"], "difficulty": "easy", "additional_info": {"description": "t/trial"}}"#])
        let missing = Self.message("dataMissing") { try d.episodes("alfworld") }
        #expect(missing.contains(d.agentboard + "/" + Self.alfworldDir + "t/trial/game.tw-pddl") && missing.contains("line 1"), "\(missing)")
        try d.write(["alfworld/test.jsonl": #"{"subgoals": ["a"], "difficulty": "easy", "additional_info": {}}"#])
        #expect(Self.message("badData") { try d.episodes("alfworld") }.contains("alfworld/test.jsonl line 1: expected additional_info.description"))
    }
}
