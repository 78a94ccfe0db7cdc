import Foundation
import Protocol
import Testing
@testable import Tasks
@testable import Worker

private let packageRoot: String = {
    var path = #filePath   // …/Tests/WorkerTests/ToolSidecarTests.swift
    for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return path
}()
private let venvPython = packageRoot + "/.venv-agentboard/bin/python"

/// The real `tool_sidecar.py` on a small academia graph written in AgentBoard's format (pickled
/// networkx graphs and id/name dicts) with a `test.jsonl` in AgentBoard's format, both from
/// Tests/Fixtures/agentboard/make_tool_query_data.py. Model answers go through VanillaAgent's
/// parser and the replies through the runner's scoring, as in a run.
@Suite("ToolSidecar", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: venvPython), "run scripts/setup-agentboard first: needs .venv-agentboard"))
struct ToolSidecarTests {
    /// Writes the data folder and returns the task's episodes and a started sidecar.
    static func setUp() async throws -> (root: String, episodes: [Episode], sidecar: Sidecar) {
        let root = NSTemporaryDirectory() + "acbench-toolsc-\(UUID().uuidString.prefix(6))"
        #expect(try await run(venvPython, [packageRoot + "/Tests/Fixtures/agentboard/make_tool_query_data.py", root + "/data/agentboard"]) == 0)
        let episodes = try AgentBoardSuite().episodes(task: TaskSpec(name: "q", suite: "agentboard", subset: "tool-query"),
                                                      shard: 0, shardCount: 1, context: SuiteContext(dataRoot: root))
        let sidecar = try await Sidecar.start(name: "tool", python: venvPython, script: packageRoot + "/scripts/agentboard/tool_sidecar.py",
                                              logFile: root + "/tool.log", startTimeout: 60)
        return (root, episodes, sidecar)
    }

    /// A child process, awaited without blocking a thread.
    static func run(_ program: String, _ args: [String]) async throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        return try await withCheckedThrowingContinuation { c in
            p.terminationHandler = { c.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch { c.resume(throwing: error) }
        }
    }

    /// Plays `outputs` (raw model answers) on `episode`: per step the reply and the tracker after it.
    static func play(_ episode: Episode, _ outputs: [String], on sidecar: Sidecar) async throws -> (steps: [SidecarReply], tracker: ProgressTracker) {
        let first = try await sidecar.call(.reset(episode.reset), timeout: 30)
        #expect(first.observation == "Once you have finished the goal, please remember to take 'finish' action to end this goal.")
        var tracker = ProgressTracker(EpisodeRunner.rule(episode.rule, reset: first))
        var replies: [SidecarReply] = []
        for output in outputs where !tracker.done {
            let reply = try await sidecar.call(.step(AgentPrompt.parseAction(output)), timeout: 30)
            EpisodeRunner.score(reply, on: &tracker)
            replies.append(reply)
        }
        return (replies, tracker)
    }

    /// The right tool calls and answer: progress 1 and success, for a number and for a list answer.
    @Test func correctSequenceSucceeds() async throws {
        let (root, episodes, sidecar) = try await Self.setUp()
        defer { sidecar.kill(); try? FileManager.default.removeItem(atPath: root) }
        #expect(episodes.map(\.sampleId) == ["tool-query-academia-0", "tool-query-academia-1", "tool-query-academia-2", "tool-query-movie-3"])

        let year = try await Self.play(episodes[0], [
            "Action: loadPaperNet with Action Input: {}",
            "Thought: now the paper.\nAction: paperNodeCheck with Action Input: {\"node\": \"Graph Agents.\"}",
            "finish with Action Input: {\"answer\": 2021}\nObservation: 2021",
        ], on: sidecar)
        #expect(year.steps.map(\.observation) == ["PaperNet is loaded.",
                                                   "{'year': 2021, 'venue': 'AAAI', 'n_citation': 3, 'keywords': ['agents'], 'doc_type': 'Conference'}",
                                                   "2021"])
        #expect(year.steps.map { $0.valid ?? false } == [true, true, true])
        #expect(year.steps.map(\.done) == [false, false, true])
        #expect(year.tracker.reward == 1 && year.tracker.success)

        let team = try await Self.play(episodes[2], [
            "loadAuthorNet with Action Input: {}",
            "neighbourCheck with Action Input: {\"graph\": \"AuthorNet\", \"node\": \"Alan Turing\"}",
            "finish with Action Input: {\"answer\": [\"Grace Hopper\", \"Ada Lovelace\"]}",
        ], on: sidecar)
        #expect(team.steps.last?.observation == "['Ada Lovelace', 'Grace Hopper']")
        #expect(team.tracker.reward == 1 && team.tracker.success)
        await sidecar.stop()
    }

    /// Unknown tools, a format error, bad parameters and failed calls are AgentBoard's observations;
    /// a wrong answer ends the episode without success at the progress reached.
    @Test func wrongAnswerAndInvalidActions() async throws {
        let (root, episodes, sidecar) = try await Self.setUp()
        defer { sidecar.kill(); try? FileManager.default.removeItem(atPath: root) }
        let r = try await Self.play(episodes[1], [
            "Action: loadAuthorNet with Action Input: {}",
            "searchPaper with Action Input: {}",
            "I should look at the graph first",
            "authorNodeCheck with Action Input: {'node': 'Nobody'}",
            "paperNodeCheck with Action Input: {\"node\": \"Graph Agents.\"}",
            "authorEdgeCheck with Action Input: {node1: 1}",
            "authorEdgeCheck with Action Input: {\"node1\": \"Alan Turing\"}",
            "finish with Action Input: {\"answer\": \"Ada Lovelace\"}",
            "finish with Action Input: {\"answer\": \"Grace Hopper\"}",
        ], on: sidecar)
        #expect(r.steps.map(\.observation) == [
            "AuthorNet is loaded.",
            "ERROR | Invalid action: searchPaper.",
            "Format error, please response in the format of  \"Action: [your action] with Action Input: [your action input]",
            "There is no node named Nobody in the AuthorNet.",
            "Please load the PaperNet first.",
            "ERROR | Exception(Parameters in action input are not valid, please change your action input.)",
            "ERROR | KeyError('node2')",
            "Ada Lovelace",
        ])
        #expect(r.steps.map { $0.valid ?? false } == [true, false, false, true, true, false, false, true])
        #expect(r.steps[2].action == "" && r.steps[3].action == "authorNodeCheck with Action Input: {'node': 'Nobody'}")
        #expect(r.steps[3].subgoal_path?.last == #""Calling authorNodeCheck with {'node': 'Nobody'} failed""#)
        #expect(r.tracker.done && !r.tracker.success && r.tracker.reward == 0.25)
        await sidecar.stop()
    }

    /// An API-backed tool fails its episode at reset as `data_missing`, naming the service and the
    /// credential; the sidecar keeps serving the next episode.
    @Test func movieNeedsItsCredential() async throws {
        let (root, episodes, sidecar) = try await Self.setUp()
        defer { sidecar.kill(); try? FileManager.default.removeItem(atPath: root) }
        do {
            _ = try await sidecar.call(.reset(episodes[3].reset), timeout: 30)
            Issue.record("the movie episode reset")
        } catch let e as SidecarError {
            guard case .unavailable(let m) = e else { Issue.record("\(e)"); return }
            #expect(m.contains("TMDB") && m.contains("MOVIE_KEY") && m.contains("acbench does not implement"), "\(m)")
            let failure = SidecarCommand.failure(e, episode: episodes[3])
            #expect(failure.failure == .dataMissing && failure.message.hasPrefix("episode tool-query-movie-3: "))
        }
        #expect(try await sidecar.call(.reset(episodes[0].reset), timeout: 30).observation?.hasPrefix("Once you have finished") == true)
        await sidecar.stop()
    }
}
