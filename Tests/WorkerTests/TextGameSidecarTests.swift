import Foundation
import Protocol
import Subprocess
import SystemPackage
import Testing
@testable import Tasks
@testable import Worker

/// True when scripts/setup-agentboard has prepared the simulators' venv.
private let agentboardPython = ServerTestSupport.repoRoot + "/.venv-agentboard/bin/python"

/// The jericho and alfworld sidecars on real games: a Z-machine game TextWorld generates (played by
/// jericho's FrotzEnv) and a one-room ALFRED problem (played by TextWorld's PDDL backend with
/// alfworld's wrappers), both in an AgentBoard-format data folder built by
/// scripts/testing/agentboard_textgames.py. Episodes come from that folder through
/// `AgentBoardSuite`; each game's walkthrough is played through the sidecar with the episode's
/// progress rule applied as the worker applies it.
@Suite("TextGameSidecars", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: agentboardPython), "run scripts/setup-agentboard first: needs .venv-agentboard"))
struct TextGameSidecarTests {
    /// The data folder and the walkthroughs, built once for the suite (TextWorld compiles the game in ~10 s).
    static let data = Task { () async throws -> (dir: String, walkthroughs: [String: [String]]) in
        let dir = NSTemporaryDirectory() + "acbench-textgames-\(UUID().uuidString.prefix(6))"
        let made = try await Subprocess.run(.path(FilePath(agentboardPython)),
                                            arguments: [ServerTestSupport.repoRoot + "/scripts/testing/agentboard_textgames.py", dir],
                                            output: .discarded, error: .string(limit: 1 << 16))
        guard made.terminationStatus.isSuccess else {
            throw SidecarError.environment("agentboard_textgames.py: \(made.terminationStatus): \(made.standardError)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/walkthroughs.json")))
        guard let walkthroughs = json as? [String: [String]] else { throw SidecarError.malformed("\(dir)/walkthroughs.json") }
        return (dir, walkthroughs)
    }

    static func episode(_ env: String, dir: String, params: [String: ParamValue] = [:]) throws -> Episode {
        let task = TaskSpec(name: env, suite: "agentboard", subset: env, data: dir, params: params)
        let episodes = try AgentBoardSuite().episodes(task: task, shard: 0, shardCount: 1, context: SuiteContext(dataRoot: "/"))
        return try #require(episodes.first)
    }

    static func start(_ family: String, dir: String) async throws -> Sidecar {
        try await Sidecar.start(name: family, python: agentboardPython,
                                script: ServerTestSupport.repoRoot + "/scripts/agentboard/\(family)_sidecar.py",
                                logFile: dir + "/\(family).log", startTimeout: 60)
    }

    /// One step as the episode runner takes it: the rule sees `match_text` when the step acted.
    static func step(_ sidecar: Sidecar, _ action: String, _ tracker: inout ProgressTracker) async throws -> SidecarReply {
        let reply = try await sidecar.call(.step(action), timeout: 60)
        #expect(reply.ok, "\(action): \(reply.error ?? "")")
        if let text = reply.match_text {
            tracker.step(EnvStep(observation: text, envDone: reply.done ?? false, envReward: reply.reward ?? 0))
        }
        return reply
    }

    @Test func jerichoWalkthroughReachesFullProgress() async throws {
        let (dir, walkthroughs) = try await Self.data.value
        let episode = try Self.episode("jericho", dir: dir, params: ["games": .string("twgame")])
        #expect(episode.sampleId == "jericho-twgame" && episode.difficulty == "easy")
        guard case .jericho(let patterns) = episode.rule else { Issue.record("rule \(episode.rule)"); return }
        #expect(patterns.count == 2)
        let sidecar = try await Self.start("jericho", dir: dir)
        let first = try await sidecar.call(.reset(episode.reset), timeout: 60)
        #expect(first.ok && (first.observation ?? "").contains("Attic") && !(first.observation ?? "").contains("\n"), "\(first)")
        var tracker = ProgressTracker(episode.rule)
        // The generated game is not one jericho fully supports: no valid actions to list, but an answer.
        let check = try await Self.step(sidecar, "check valid actions", &tracker)
        #expect(check.observation == "You can take the following actions: check valid actions" && check.match_text == nil && check.valid == true)
        let unknown = try await Self.step(sidecar, "xyzzy", &tracker)
        #expect(unknown.match_text != nil && tracker.reward == 0)
        var rewards: [Double] = []
        for action in try #require(walkthroughs["jericho"]) {
            _ = try await Self.step(sidecar, action + ". and then some", &tracker)  // cut at the first '.'
            rewards.append(tracker.reward)
        }
        #expect(rewards == [0.5, 1.0] && tracker.done && tracker.success)
        // A second episode on the same sidecar starts over, with the opening given by the annotation.
        let again = try await sidecar.call(.reset(["game_file": episode.reset["game_file"]!, "init_obs": .string("Attic.")]), timeout: 60)
        #expect(again.observation == "Attic.")
        await sidecar.stop()
    }

    @Test func alfworldWalkthroughWins() async throws {
        let (dir, walkthroughs) = try await Self.data.value
        let episode = try Self.episode("alfworld", dir: dir)
        #expect(episode.sampleId == "alfworld-pick_and_place_simple-Apple-None-DiningTable-1-trial_T20000101_000000_000001")
        #expect(episode.goal == nil && episode.rule == .alfworld(subgoals: ["You arrive at (.*)countertop", "You pick up the apple",
                                                                            "You move the apple (.*) to the diningtable"]))
        let sidecar = try await Self.start("alfworld", dir: dir)
        let first = try await sidecar.call(.reset(episode.reset), timeout: 60)
        #expect(first.observation == "You are in the middle of a room. Looking quickly around you, you see a countertop 1, and a diningtable 1.")
        #expect(first.goal == "put some apple on diningtable.")
        var tracker = ProgressTracker(episode.rule)
        let check = try await Self.step(sidecar, "check valid actions", &tracker)
        #expect(check.observation == "Choose an action from these valid actions: go to countertop 1, go to diningtable 1, help, inventory, look, check valid actions")
        #expect(check.valid == true && tracker.reward == 0)
        let wrong = try await Self.step(sidecar, "take apple 1 from countertop 1", &tracker)  // not there yet
        #expect(wrong.valid == false && wrong.observation == "Nothing happens." && wrong.done == false)
        var rewards: [Double] = []
        for action in try #require(walkthroughs["alfworld"]) {
            let reply = try await Self.step(sidecar, action + ".", &tracker)
            #expect(reply.valid == true, "\(action): \(reply.observation ?? "")")
            rewards.append(tracker.reward)
        }
        #expect(rewards == [0.25, 0.5, 0.5, 1.0] && tracker.done && tracker.success)
        await sidecar.stop()
    }
}
