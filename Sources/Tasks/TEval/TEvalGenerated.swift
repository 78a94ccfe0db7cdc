import FoundationEssentials

/// The `variant = "generated"` data of T-Eval: two samples per run in the released files'
/// shapes, about invented tools (no third-party text), written to a temporary folder.
enum TEvalGenerated {
    private static let tools = [("LampControl.switch", "room", "kitchen"), ("PlantCare.water", "plant", "fern"),
                                ("Pantry.count", "item", "jars")]

    static func folder() throws -> String {
        let root = LongBenchGenerated.temporaryDirectory() + "/acbench-teval-generated"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for run in TEvalRun.allCases {
            let samples: [(String, JSONValue)] = tools.prefix(2).enumerated().map { k, t in ("\(k)", sample(run, t)) }
            let path = root + "/" + run.fileName
            guard FileManager.default.createFile(atPath: path, contents: Data(JSONValue.object(samples).serialized.utf8)) else {
                throw SuiteError.badData("cannot write the generated data file \(path)")
            }
        }
        return root
    }

    private static func msg(_ role: String, _ content: String) -> JSONValue { .object([("role", .string(role)), ("content", .string(content))]) }

    private static func sample(_ run: TEvalRun, _ t: (String, String, String)) -> JSONValue {
        let (name, key, value) = t
        let apis = tools.map(\.0) + ["FinishAction"]
        let system = "You can call these tools: \(apis.joined(separator: ", ")). Answer in the requested format."
        let args = JSONValue.object([(key, .string(value))])
        let step = JSONValue.object([("thought", .string("I should use \(name) for the \(value).")), ("name", .string(name)), ("args", args)])
        var fields: [(String, JSONValue)] = []
        switch run {
        case .instructJson:
            fields = [("origin_prompt", .array([msg("system", system), msg("user", "Call \(name) with \(key)=\(value). Reply as JSON with keys thought, name, args.")])),
                      ("template", .object([("thought", .string("thought")), ("action", .string("name")), ("args", .string("args"))])),
                      ("meta_data", .object([("response_format", .string("json"))])),
                      ("ground_truth", .object([("thought", .string("use the tool")), ("action", .string(name)), ("args", args)]))]
        case .reviewStr:
            fields = [("origin_prompt", .array([msg("system", system), msg("user", "Did the call of \(name) succeed? A. yes B. no. Answer with 'Answer: <letter>'.")])),
                      ("template", .string("")), ("meta_data", .object([("response_format", .string("str"))])),
                      ("ground_truth", .object([("answer", .string("A"))]))]
        case .planJson, .planStr:
            let plan = JSONValue.array([
                .object([("name", .string(name)), ("id", .int(0)), ("args", .string(PyValue(args).repr))]),
                .object([("name", .string("FinishAction")), ("id", .int(1)), ("args", .string("{}"))]),
            ])
            fields = [("origin_prompt", .array([msg("system", system), msg("user", "Plan the tool calls to handle the \(value).")])),
                      ("ground_truth", plan), ("meta", .object([("API_list", .array(apis.map { .string($0) }))]))]
        default:
            let format = run == .rruJson ? "json" : "str"
            fields = [("origin_prompt", .array([msg("system", system), msg("user", "What is the next step for the \(value)?")])),
                      ("ground_truth", step), ("meta_data", .object([("response_format", .string(format))]))]
        }
        return .object(fields)
    }
}
