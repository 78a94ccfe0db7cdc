import Foundation
import Protocol
import Testing
@testable import Tasks

@Suite("AgentBoardSuite")
struct AgentBoardSuiteTests {
    let context = SuiteContext(dataRoot: NSTemporaryDirectory() + "acbench-no-data-\(UUID().uuidString.prefix(6))")

    /// VanillaAgent's layout: instruction, examples, goal, help lines, history, `Action: `.
    @Test func promptLayout() {
        let p = AgentPrompt(systemMessage: "S", instruction: "I", examples: ["E1"], checkActions: "check valid actions", checkInventory: true)
        let user = p.user(goal: "G", history: [("Observation", "o0"), ("Action", "a0"), ("Observation", "o1")])
        let help = "You should use the following commands for help when your action cannot be understood: "
        #expect(user == "I\nHere are examples:\nE1\nYou should perform actions to accomplish the goal: G\n"
                + help + "check valid actions\n" + help + "inventory\nObservation: o0\nAction: a0\nObservation: o1\nAction: ")
        #expect(p.user(goal: "G", history: [("Observation", "o0"), ("Action", "a0")], drop: 1).hasSuffix("inventory\nAction: a0\nAction: "))
    }

    @Test func actionParser() {
        #expect(AgentPrompt.parseAction("go to red ball 1\nObservation: x") == "go to red ball 1")
        #expect(AgentPrompt.parseAction("Thought: hmm\nAction: turn left") == "turn left")
        #expect(AgentPrompt.parseAction("The next action is to pick up key 1") == " pick up key 1".trimmingCharacters(in: .whitespaces))
        #expect(AgentPrompt.parseAction("  'move forward'/ ") == "move forward")
    }

    /// Without data BabyAI runs AgentBoard's 28 levels × 4 seeds with the native reward; others fail clearly.
    @Test func episodesWithoutData() throws {
        let suite = AgentBoardSuite()
        let babyai = try suite.episodes(task: TaskSpec(name: "b", suite: "agentboard", subset: "babyai"), shard: 0, shardCount: 1, context: context)
        #expect(babyai.count == 112 && babyai[0].sampleId == "babyai-level1-seed1234" && babyai[4].sampleId == "babyai-level2-seed1234")
        #expect(babyai[0].rule == .native(babyaiQuirks: true) && babyai[0].maxSteps == 30)
        let shard = try suite.episodes(task: TaskSpec(name: "b", suite: "agentboard", subset: "babyai", limit: 10), shard: 1, shardCount: 2, context: context)
        #expect(shard.map(\.index) == [0, 1, 2, 3, 4] && shard[0].sampleId == babyai[5].sampleId)
        let science = try suite.episodes(task: TaskSpec(name: "s", suite: "agentboard", subset: "scienceworld", params: ["tasks": .string("boil,melt")]),
                                         shard: 0, shardCount: 1, context: context)
        #expect(science.map(\.sampleId) == ["scienceworld-boil-seed0", "scienceworld-melt-seed0"])
        #expect(throws: SuiteError.self) {
            try suite.episodes(task: TaskSpec(name: "j", suite: "agentboard", subset: "jericho"), shard: 0, shardCount: 1, context: context)
        }
        do {
            _ = try suite.episodes(task: TaskSpec(name: "j", suite: "agentboard", subset: "alfworld"), shard: 0, shardCount: 1, context: context)
        } catch let e as SuiteError {
            guard case .dataMissing(let m) = e else { Issue.record("\(e)"); return }
            #expect(m.contains("acbench data fetch agentboard"))
        }
    }

    /// Annotated BabyAI: one line per episode, alternative paths from `subgoals_N`.
    @Test func babyaiAnnotations() throws {
        let dir = context.dataRoot + "/data/agentboard/babyai"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: context.dataRoot) }
        let lines = ["{\"subgoals\": [\"You see a red ball\"], \"difficulty\": \"easy\"}",
                     "{\"subgoals_2\": [\"b\"], \"subgoals_1\": [\"a\"], \"difficulty\": \"hard\"}"]
        try lines.joined(separator: "\n").write(toFile: dir + "/test.jsonl", atomically: true, encoding: .utf8)
        let task = TaskSpec(name: "b", suite: "agentboard", subset: "babyai", params: ["levels": .string("1,2"), "episodes_per_level": .int(1)])
        let e = try AgentBoardSuite().episodes(task: task, shard: 0, shardCount: 1, context: context)
        #expect(e[0].rule == .babyai(patterns: ["You see a red ball"]) && e[0].difficulty == "easy")
        #expect(e[1].rule == .babyaiPaths([["a"], ["b"]]) && e[1].difficulty == "hard")
    }

    @Test func aggregate() {
        let r = [SampleResult(sampleId: "a", index: 0, scores: ["progress_rate": 0.5, "success": 0, "grounding_acc": 1], meta: ["difficulty": "easy"]),
                 SampleResult(sampleId: "b", index: 1, scores: ["progress_rate": 1, "success": 1, "grounding_acc": 0.5], meta: ["difficulty": "hard"])]
        let a = AgentBoardSuite().aggregate(r)
        #expect(a["progress_rate"] == 0.75 && a["success"] == 0.5 && a["grounding_acc"] == 0.75)
        #expect(a["progress_rate_easy"] == 0.5 && a["success_hard"] == 1 && a.count == 7)
        #expect(SuiteRegistry.aggregate(suite: "agentboard", r) == a)
    }
}
