/// Loads a sweep file (`sweeps/*.toml`, see docs/CONFIG.md) into a `SweepSpec`. Unknown keys,
/// wrong types, bad values, missing required keys and duplicate names are `ConfigError`s.
///
/// Paths inside a sweep (model paths, calibration and data files) are kept as written: they enter
/// unit identities, and a model path may be a hub id. Workers resolve them.
public enum SweepLoader {
    /// vLLM `--dtype` values accepted in `[generation] dtype`.
    public static let dtypes: Set<String> = ["auto", "half", "float16", "bfloat16", "float", "float32"]

    /// Reads and validates the sweep at `path`. Throws `ConfigError`.
    public static func load(path: String) throws -> SweepSpec {
        let doc = try ConfigDocument.open(path: path)
        let root = doc.rootReader
        try root.checkKeys(["sweep", "generation", "models", "methods", "tasks", "analysis"])
        guard let sweep = try root.table("sweep") else {
            throw root.missing("sweep.name", hint: "add a [sweep] table with name = \"...\"")
        }
        try sweep.checkKeys(["name"])
        let name = try sweep.required("name") { try sweep.name($0) }
        let generation = try root.table("generation").map { try self.generation($0, over: GenerationSettings()) }
            ?? GenerationSettings()
        let models = try list(root, "models", kind: "model", example: "[[models]] with name, path and params_b", model)
        let methods = try list(root, "methods", kind: "method", example: "[[methods]] with name and algorithm (\"none\" for the baseline)", method)
        let tasks = try list(root, "tasks", kind: "task", example: "[[tasks]] with name and suite") {
            try task($0, generation: generation)
        }
        let analysis = try root.table("analysis").flatMap { try self.analysis($0) }
        return SweepSpec(name: name, sourcePath: path, models: models, methods: methods, tasks: tasks, generation: generation,
                         analysis: analysis)
    }

    /// `[analysis]`: `enabled` (default true when the table is present), `sequences`, `positions`, `seed`.
    static func analysis(_ t: TableReader) throws -> AnalysisSpec? {
        try t.checkKeys(["enabled", "sequences", "positions", "seed"])
        guard try t.bool("enabled") ?? true else { return nil }
        var a = AnalysisSpec()
        if let v = try t.int("sequences", 1...10_000) { a.sequences = v }
        if let v = try t.int("positions", 2...100_000) { a.positions = v }
        if let v = try t.int("seed", 0...Int.max) { a.seed = v }
        return a
    }

    /// Reads a non-empty array of tables whose elements have unique names.
    static func list<T>(_ root: TableReader, _ key: String, kind: String, example: String,
                        _ parse: (TableReader) throws -> (T, String)) throws -> [T] {
        guard let readers = try root.tables(key), !readers.isEmpty else {
            throw root.missing(key, hint: "a sweep needs at least one \(example)")
        }
        var out: [T] = []
        var named: [(reader: TableReader, name: String)] = []
        for r in readers {
            let (item, name) = try parse(r)
            out.append(item)
            named.append((r, name))
        }
        try root.doc.checkUnique(named, kind: kind)
        return out
    }

    /// `[generation]` or `[tasks.generation]`: each key present replaces the one in `base`.
    static func generation(_ t: TableReader, over base: GenerationSettings) throws -> GenerationSettings {
        try t.checkKeys(["temperature", "top_p", "max_tokens", "seed", "dtype", "enforce_eager", "max_model_len"])
        var g = base
        if let v = try t.double("temperature", min: 0) { g.temperature = v }
        if let v = try t.double("top_p", min: 0, exclusive: true, max: 1) { g.topP = v }
        if let v = try t.int("max_tokens", 1...Int.max) { g.maxTokens = v }
        if let v = try t.int("seed", 0...Int.max) { g.seed = v }
        if let v = try t.oneOf("dtype", dtypes) { g.dtype = v }
        if let v = try t.bool("enforce_eager") { g.enforceEager = v }
        if let v = try t.int("max_model_len", 1...Int.max) { g.maxModelLen = v }
        if g.maxTokens >= g.maxModelLen {
            let key = t.has("max_tokens") ? "max_tokens" : "max_model_len"
            throw t.invalid(key, expected: "max_tokens < max_model_len (the prompt needs room too)",
                            got: "max_tokens = \(g.maxTokens), max_model_len = \(g.maxModelLen)")
        }
        return g
    }

    static func model(_ t: TableReader) throws -> (ModelSpec, String) {
        try t.checkKeys(["name", "path", "revision", "params_b", "tensor_parallel"])
        let name = try t.required("name") { try t.name($0) }
        let path = try t.required("path", hint: "a local checkpoint folder or a hub id such as \"Qwen/Qwen2.5-7B-Instruct\"") {
            try ClusterConfigLoader.nonEmpty(t, $0)
        }
        let paramsB = try t.required("params_b", hint: "parameter count in billions, used for memory estimates") {
            try t.double($0, min: 0, exclusive: true)
        }
        var m = ModelSpec(name: name, path: path, paramsB: paramsB)
        m.revision = try ClusterConfigLoader.nonEmpty(t, "revision")
        if let v = try t.int("tensor_parallel", 1...Int.max) { m.tensorParallel = v }
        return (m, name)
    }

    static func method(_ t: TableReader) throws -> (MethodSpec, String) {
        try t.checkKeys(["name", "algorithm", "calibration", "params", "dtype"])
        let name = try t.required("name") { try t.name($0) }
        let algorithm = try t.required("algorithm", hint: "one of " + MethodSpec.algorithms.sorted().joined(separator: ", ")) {
            try t.oneOf($0, MethodSpec.algorithms)
        }
        var m = MethodSpec(name: name, algorithm: algorithm, params: try t.params("params"))
        m.calibration = try ClusterConfigLoader.nonEmpty(t, "calibration")
        m.dtype = try t.oneOf("dtype", dtypes)
        if m.calibration == nil && MethodSpec.calibratedAlgorithms.contains(algorithm) {
            throw t.missing("calibration", hint: "algorithm \"\(algorithm)\" needs calibration data")
        }
        return (m, name)
    }

    static func task(_ t: TableReader, generation: GenerationSettings) throws -> (TaskSpec, String) {
        try t.checkKeys(["name", "suite", "subset", "data", "limit", "shards", "params", "generation"])
        let name = try t.required("name") { try t.name($0) }
        let suite = try t.required("suite", hint: "one of " + TaskSpec.suites.sorted().joined(separator: ", ")) {
            try t.oneOf($0, TaskSpec.suites)
        }
        var task = TaskSpec(name: name, suite: suite, params: try t.params("params"))
        task.subset = try ClusterConfigLoader.nonEmpty(t, "subset")
        if suite == "agentboard" && task.subset == nil {
            throw t.missing("subset", hint: "an AgentBoard task names its environment, e.g. subset = \"alfworld\"")
        }
        task.data = try ClusterConfigLoader.nonEmpty(t, "data")
        task.limit = try t.int("limit", 1...Int.max)
        if let v = try t.int("shards", 1...Int.max) { task.shards = v }
        task.generation = try t.table("generation").map { try self.generation($0, over: generation) }
        return (task, name)
    }
}
