import Foundation
import Protocol
import Testing
@testable import Tasks

/// tool-query / tool-operation episodes from AgentBoard's annotation files (one line each), the
/// subgoals' canonical JSON, and the clear errors for malformed lines and missing graph files.
@Suite("AgentBoardToolEpisodes")
struct AgentBoardToolEpisodesTests {
    let root = NSTemporaryDirectory() + "acbench-tool-\(UUID().uuidString.prefix(6))"
    var data: String { root + "/data/agentboard" }
    var context: SuiteContext { SuiteContext(dataRoot: root) }

    static let academia = #"{"goal": "Who wrote Graph Agents.?", "subgoals": ["PaperNet is loaded.", {"year": 2021, "authors": ["Ada"]}, ["Ada"]], "additional_info": {"answer": ["Ada"], "init_config": null, "goal_type": 0, "tool": "academia"}, "difficulty": "easy"}"#
    static let weather = #"{"goal": "How warm was it?", "subgoals": [{"latitude": 1.5, "longitude": 2}], "additional_info": {"answer": 21.5, "init_config": {"current_date": "2023-01-01", "current_location": "Paris"}, "goal_type": 0, "tool": "weather"}, "difficulty": "hard"}"#

    func write(_ env: String, _ lines: [String], graphs: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: data + "/\(env)", withIntermediateDirectories: true)
        try lines.joined(separator: "\n").write(toFile: data + "/\(env)/test.jsonl", atomically: true, encoding: .utf8)
        guard graphs else { return }
        let raw = data + "/tool-query/academia/raw"
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        for f in AgentBoardEpisodes.graphFiles { FileManager.default.createFile(atPath: raw + "/" + f, contents: Data()) }
    }

    func episodes(_ env: String, params: [String: ParamValue] = [:]) throws -> [Episode] {
        try AgentBoardSuite().episodes(task: TaskSpec(name: "t", suite: "agentboard", subset: env, params: params),
                                       shard: 0, shardCount: 1, context: context)
    }

    /// One episode per line on the `tool` sidecar; academia gets the graph folder, weather its init_config.
    @Test func episodesFromTheAnnotationFile() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("tool-query", [Self.academia, "", Self.weather])
        let e = try episodes("tool-query")
        #expect(e.map(\.sampleId) == ["tool-query-academia-0", "tool-query-weather-1"])
        #expect(e.allSatisfy { $0.environment == "tool" && $0.maxSteps == 30 })
        #expect(e[0].reset == ["tool": .string("academia"), "graph_dir": .string(data + "/tool-query/academia/raw")])
        #expect(e[0].goal == "Who wrote Graph Agents.?" && e[0].difficulty == "easy")
        #expect(e[0].rule == .tool(subgoals: [#""PaperNet is loaded.""#, #"{"authors":["Ada"],"year":2021}"#, #"["Ada"]"#]))
        #expect(e[1].reset == ["tool": .string("weather"), "current_date": .string("2023-01-01"), "current_location": .string("Paris")])
        #expect(e[1].rule == .tool(subgoals: [#"{"latitude":1.5,"longitude":2}"#]))
        let narrowed = try episodes("tool-query", params: ["tools": .string("academia")])
        #expect(narrowed.map(\.sampleId) == ["tool-query-academia-0"] && narrowed[0].index == 0)
        #expect(throws: SuiteError.self) { try episodes("tool-query", params: ["tools": .string("academia,calendar")]) }
    }

    /// A broken line names the file and the line; academia without its graphs names the missing file.
    @Test func malformedLinesAndMissingGraphs() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = data + "/tool-query/test.jsonl"
        for (lines, expected) in [([Self.academia, "{not json"], "line 2: not a JSON object"),
                                  ([#"{"goal": "g", "subgoals": [], "additional_info": {}}"#], "line 1: no additional_info.tool"),
                                  ([#"{"goal": "g", "subgoals": "x", "additional_info": {"tool": "academia"}}"#], "line 1: 'subgoals' must be an array"),
                                  ([#"{"subgoals": [], "additional_info": {"tool": "academia"}}"#], "line 1: no string 'goal'"),
                                  ([#"{"goal": "g", "additional_info": {"tool": "calendar"}}"#], "line 1: additional_info.tool 'calendar'")] {
            try write("tool-query", lines)
            do {
                _ = try episodes("tool-query")
                Issue.record("no error for \(lines)")
            } catch SuiteError.badData(let m) {
                #expect(m.hasPrefix(file) && m.contains(expected), "\(m)")
            }
        }
        try FileManager.default.removeItem(atPath: data + "/tool-query/academia/raw/author_net.pkl")
        try write("tool-query", [Self.academia], graphs: false)
        do {
            _ = try episodes("tool-query")
            Issue.record("no error without the graphs")
        } catch SuiteError.dataMissing(let m) {
            #expect(m.contains(data + "/tool-query/academia/raw/author_net.pkl"), "\(m)")
        }
        #expect(try episodes("tool-query", params: ["tools": .string("weather")]).isEmpty)
    }

    /// Without the annotation file: the existing data_missing error.
    @Test func withoutTheAnnotationFile() throws {
        do {
            _ = try episodes("tool-operation")
            Issue.record("no error")
        } catch SuiteError.dataMissing(let m) {
            #expect(m.contains("tool-operation/test.jsonl") && m.contains("acbench data fetch agentboard"), "\(m)")
        }
    }

    /// The encoding tool_sidecar.py's `canonical` also writes: sorted keys, integral numbers as integers, Python's escapes.
    @Test func canonicalJSON() throws {
        let v = try #require(JSONTree.parse(#"{"b": [1.0, 2.5, true, null], "a": "x\"y\n\u0001é", "A": {}}"#))
        #expect(v.canonicalJSON == #"{"A":{},"a":"x\"y\n\u0001é","b":[1,2.5,true,null]}"#)
        #expect(JSONTree.number(2021).canonicalJSON == "2021" && JSONTree.string("2021").canonicalJSON == #""2021""#)
    }

    /// AgentBoard's tool task ends at `finish` only; it is a success only with progress 1 then.
    @Test func finishEndsTheEpisode() {
        var wrong = ProgressTracker(.tool(subgoals: ["a", "b"]))
        wrong.step(EnvStep(observation: "", subgoalPath: ["a"]))
        #expect(!wrong.done && wrong.reward == 0.5)
        wrong.step(EnvStep(observation: "", envDone: true, subgoalPath: ["a", "c"]))
        #expect(wrong.done && !wrong.success && wrong.reward == 0.5)
        var right = ProgressTracker(.tool(subgoals: ["a", "b"]))
        right.step(EnvStep(observation: "", subgoalPath: ["b", "a"]))
        #expect(!right.done && !right.success && right.reward == 1)
        right.step(EnvStep(observation: "", envDone: true, subgoalPath: ["b", "a", "x"]))
        #expect(right.done && right.success)
    }
}
