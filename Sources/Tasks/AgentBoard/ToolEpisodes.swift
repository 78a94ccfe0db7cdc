import Kernels
import Foundation
import Protocol

/// AgentBoard's tool tasks from their annotation files: each line of `<data>/tool-query/test.jsonl`
/// or `<data>/tool-operation/test.jsonl` (`goal`, `subgoals`, `difficulty`,
/// `additional_info.tool` and `.init_config`) is one episode on the `tool` sidecar, scored by the
/// tool rule over the annotated subgoals. Only `academia` runs offline (AgentBoard's DBLP graphs
/// under `<data>/tool-query/academia/raw/`); the sidecar fails the other tools' episodes at reset
/// (docs/AGENTBOARD.md). `[tasks.params] tools = "academia"` keeps only the named tools.
extension AgentBoardEpisodes {
    /// The tools AgentBoard's tool data names.
    static let tools = ["academia", "weather", "movie", "todo", "sheet"]
    /// AgentBoard's academia files (`utils/academia/academia_tools.py`).
    static let graphFiles = ["paper_net.pkl", "author_net.pkl", "title2id_dict.pkl", "author2id_dict.pkl",
                             "id2title_dict.pkl", "id2author_dict.pkl"]

    var graphDir: String { dataDir + "/tool-query/academia/raw" }

    func toolEpisodes(_ labels: [[String: JSONTree]], steps maxSteps: Int) throws -> [Episode] {
        let wanted = try toolFilter()
        var out: [Episode] = []
        for (i, line) in labels.enumerated() {
            let tool = try self.tool(line, line: i + 1)
            guard wanted?.contains(tool) ?? true else { continue }
            guard let goal = line["goal"]?.stringValue else { throw bad(i + 1, "no string 'goal'") }
            var subgoals: [String] = []
            switch line["subgoals"] {
            case .array(let a)?: subgoals = a.map(\.canonicalJSON)
            case nil where tool != "academia": break
            default: throw bad(i + 1, "'subgoals' must be an array (the ground-truth subgoals)")
            }
            out.append(Episode(sampleId: "\(env.rawValue)-\(tool)-\(i)", index: out.count, environment: env.family,
                               reset: reset(tool: tool, line: line), goal: goal,
                               rule: .tool(subgoals: subgoals), difficulty: line["difficulty"]?.stringValue,
                               maxSteps: maxSteps))
        }
        if out.contains(where: { $0.reset["tool"] == .string("academia") }) {
            for f in Self.graphFiles where !FileManager.default.fileExists(atPath: graphDir + "/" + f) {
                throw SuiteError.dataMissing("AgentBoard academia needs its graph files: \(graphDir)/\(f) is missing; "
                    + "run `acbench data fetch agentboard` (or set the task's data folder)")
            }
        }
        return out
    }

    /// `additional_info.tool`, one of `tools`.
    private func tool(_ line: [String: JSONTree], line n: Int) throws -> String {
        guard case .object(let info)? = line["additional_info"], let tool = info["tool"]?.stringValue else {
            throw bad(n, "no additional_info.tool")
        }
        guard Self.tools.contains(tool) else {
            throw bad(n, "additional_info.tool '\(tool)' is not one of \(Self.tools.joined(separator: ", "))")
        }
        return tool
    }

    /// What the sidecar's reset receives: the tool, academia's graph folder, and the
    /// `init_config` entries (weather/todo: `current_date`, `current_location`; a nested value as JSON text).
    private func reset(tool: String, line: [String: JSONTree]) -> [String: ParamValue] {
        var reset: [String: ParamValue] = [:]
        if case .object(let info)? = line["additional_info"], case .object(let config)? = info["init_config"] {
            reset = scalars(config)
        }
        reset["tool"] = .string(tool)
        if tool == "academia" { reset["graph_dir"] = .string(graphDir) }
        return reset
    }

    private func scalars(_ config: [String: JSONTree]) -> [String: ParamValue] {
        var reset: [String: ParamValue] = [:]
        for (key, value) in config {
            switch value {
            case .string(let s): reset[key] = .string(s)
            case .number(let d): reset[key] = d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
            case .bool(let b): reset[key] = .bool(b)
            case .null: break
            case .array, .object: reset[key] = .string(value.canonicalJSON)
            }
        }
        return reset
    }

    private func toolFilter() throws -> Set<String>? {
        guard let names = try stringList("tools") else { return nil }
        for name in names where !Self.tools.contains(name) {
            throw SuiteError.badData("task '\(task.name)': params.tools: unknown tool '\(name)' (known: \(Self.tools.joined(separator: ", ")))")
        }
        return Set(names)
    }

    private func bad(_ line: Int, _ what: String) -> SuiteError { .badData("\(labelFile) line \(line): \(what)") }
}

extension JSONTree {
    /// The value as compact JSON with keys sorted by code point and integral numbers written as
    /// integers — `canonical` in scripts/agentboard/tool_sidecar.py writes a tool's result the same
    /// way, so equal values (Python's `==`) give equal strings for the tool progress rule.
    var canonicalJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            return d.isFinite && d == d.rounded() && abs(d) < 9_007_199_254_740_992 ? String(Int64(d)) : "\(d)"
        case .string(let s): return JSON.quoted(s)
        case .array(let a): return "[" + a.map(\.canonicalJSON).joined(separator: ",") + "]"
        case .object(let o):
            let keys = o.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            return "{" + keys.map { JSON.quoted($0) + ":" + o[$0]!.canonicalJSON }.joined(separator: ",") + "}"
        }
    }
}
