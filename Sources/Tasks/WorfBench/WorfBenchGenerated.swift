import FoundationEssentials

/// The `variant = "generated"` data of WorfBench: for every subset a few gold items and the four
/// two-shot messages in the release's file formats, built from invented household chores (no
/// third-party text), written to a temporary folder that the ordinary loader then reads.
enum WorfBenchGenerated {
    static let itemsPerSubset = 2
    private static let verbs = ["fetch", "rinse", "fold", "stack", "sort", "label", "polish", "water"]
    private static let things = ["the blue cup", "the towels", "the spare keys", "the fern", "the letters", "the brass lamp"]

    /// The folder with `two_shot_examples.json` and `gold_traj/<subset>/graph_eval.json`.
    static func folder() throws -> String {
        let root = LongBenchGenerated.temporaryDirectory() + "/acbench-worfbench-generated"
        var shots: [(String, JSONValue)] = []
        for (s, subset) in WorfBenchSuite.subsets.enumerated() {
            var rng = SplitMix64(seed: UInt64(100 + s))
            let items = (0..<itemsPerSubset).map { item(subset, $0, &rng) }
            let dir = root + "/gold_traj/" + subset
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try write(dir + "/graph_eval.json", JSONValue.array(items).serialized)
            let a = task(&rng), b = task(&rng)
            shots.append((subset, .array([
                message("user", "Here are two examples. You need to strictly follow the format provided in the examples.\nTask: \(a.task)"),
                message("assistant", a.workflow), message("user", "Task: \(b.task)"), message("assistant", b.workflow),
            ])))
        }
        try write(root + "/two_shot_examples.json", JSONValue.object(shots).serialized)
        return root
    }

    private static func write(_ path: String, _ text: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw SuiteError.badData("cannot write the generated data file \(path)")
        }
    }

    private static func message(_ role: String, _ content: String) -> JSONValue {
        .object([("role", .string(role)), ("content", .string(content))])
    }

    /// A chore with 2–4 steps: a chain, or a fork when it has four steps.
    private static func task(_ rng: inout SplitMix64) -> (task: String, workflow: String) {
        let n = 2 + rng.below(3)
        let steps = (0..<n).map { _ in verbs[rng.below(verbs.count)] + " " + things[rng.below(things.count)] }
        let nodes = steps.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: "\n")
        var edges = ["(START,1)"]
        if n == 4 { edges += ["(1,2)", "(1,3)", "(2,4)", "(3,4)"] } else { edges += (1..<n).map { "(\($0),\($0 + 1))" } }
        edges.append("(\(n),END)")
        return ("Please \(steps.joined(separator: ", then ")).", "Node:\n\(nodes)\nEdge: " + edges.joined(separator: " "))
    }

    private static func item(_ subset: String, _ i: Int, _ rng: inout SplitMix64) -> JSONValue {
        let t = task(&rng)
        return .object([
            ("source", .string(subset)),
            ("conversations", .array([
                message("system", "You are a helpful task planner. Break the task into numbered nodes and connect them with edges."),
                message("user", "Task: \(t.task)"), message("assistant", t.workflow),
            ])),
            ("target", .string("graph")), ("id", .string("\(subset)_gen_\(i)")), ("category", .string("generated")),
        ])
    }
}
