/// A parsed sweep file (`sweeps/*.toml`): what to run. Produced by `SweepLoader`.
public struct SweepSpec: Sendable, Codable, Equatable {
    /// The sweep's name (`[sweep] name`).
    public var name: String
    /// The file it was read from (for messages only; never part of any identity).
    public var sourcePath: String
    public var models: [ModelSpec]
    public var methods: [MethodSpec]
    public var tasks: [TaskSpec]
    /// Generation settings shared by every eval unit unless a task overrides them.
    public var generation: GenerationSettings
    /// The analysis units (`[analysis]`), when the sweep asks for them.
    public var analysis: AnalysisSpec?

    public init(name: String, sourcePath: String, models: [ModelSpec], methods: [MethodSpec],
                tasks: [TaskSpec], generation: GenerationSettings, analysis: AnalysisSpec? = nil) {
        self.name = name; self.sourcePath = sourcePath; self.models = models
        self.methods = methods; self.tasks = tasks; self.generation = generation; self.analysis = analysis
    }

    /// Generation settings in effect for `task`: its merged overrides, else the sweep's.
    public func generation(for task: TaskSpec) -> GenerationSettings { task.generation ?? generation }
}

/// One model of the sweep.
public struct ModelSpec: Sendable, Codable, Equatable {
    /// Short unique label used in tables (`qwen2.5-7b`).
    public var name: String
    /// Local folder of an HF checkpoint, or a hub id (`Qwen/Qwen2.5-7B-Instruct`).
    public var path: String
    /// Revision or weights digest pinning the exact bytes; part of the identity.
    public var revision: String?
    /// Parameter count in billions; used for memory and cost estimates.
    public var paramsB: Double
    /// Tensor-parallel degree to serve it with (GPUs per worker group).
    public var tensorParallel: Int

    public init(name: String, path: String, revision: String? = nil, paramsB: Double, tensorParallel: Int = 1) {
        self.name = name; self.path = path; self.revision = revision
        self.paramsB = paramsB; self.tensorParallel = tensorParallel
    }
}

/// One compression method with its parameters. `algorithm == "none"` is the uncompressed baseline.
public struct MethodSpec: Sendable, Codable, Equatable {
    /// Short unique label (`gptq-w4g128`, `wanda-2of4`).
    public var name: String
    /// One of `MethodSpec.algorithms`.
    public var algorithm: String
    /// Algorithm parameters (bits, group_size, sparsity, pattern, damp, ...), sorted by key when hashed.
    public var params: [String: ParamValue]
    /// Calibration data file (text/JSONL/token ids), or `MethodSpec.generatedCalibration`; `nil`
    /// for methods that need none.
    public var calibration: String?
    /// Serving dtype for this method's eval units, over `[generation] dtype` (vLLM's CPU build
    /// serves 4-bit checkpoints only in float16/bfloat16); `nil`: the generation setting.
    public var dtype: String?

    /// `calibration` value meaning acbench's seeded generated text (no file, no third-party text).
    public static let generatedCalibration = "generated"

    public static let algorithms: Set<String> = ["none", "rtn", "gptq", "awq", "magnitude", "wanda", "sparsegpt", "synthetic"]
    /// Algorithms that need calibration data (`calibration` is required for them).
    public static let calibratedAlgorithms: Set<String> = ["gptq", "awq", "wanda", "sparsegpt"]

    public init(name: String, algorithm: String, params: [String: ParamValue] = [:], calibration: String? = nil,
                dtype: String? = nil) {
        self.name = name; self.algorithm = algorithm; self.params = params; self.calibration = calibration; self.dtype = dtype
    }
}

/// One task of the sweep: a benchmark suite (and subset) with its data and limits.
public struct TaskSpec: Sendable, Codable, Equatable {
    /// Short unique label (`worfbench`, `agentboard-alfworld`).
    public var name: String
    /// One of `TaskSpec.suites`.
    public var suite: String
    /// Subset within the suite (AgentBoard environment, LongBench dataset list...).
    public var subset: String?
    /// Data folder or file; `nil` means the suite's default under `data/`.
    public var data: String?
    /// At most this many samples (`nil`: all).
    public var limit: Int?
    /// Split the task into this many shards (eval units) of contiguous samples.
    public var shards: Int
    /// Suite-specific parameters (e.g. needle context lengths, synthetic sample count).
    public var params: [String: ParamValue]
    /// Per-task generation settings: the sweep's `[generation]` with this task's `[tasks.generation]`
    /// keys merged over it (`SweepLoader` does the merge); `nil` when the task overrides nothing.
    public var generation: GenerationSettings?

    public static let suites: Set<String> = [
        "worfbench", "teval", "longbench", "longgenbench", "needle", "agentboard", "synthetic",
    ]

    public init(name: String, suite: String, subset: String? = nil, data: String? = nil, limit: Int? = nil,
                shards: Int = 1, params: [String: ParamValue] = [:], generation: GenerationSettings? = nil) {
        self.name = name; self.suite = suite; self.subset = subset; self.data = data; self.limit = limit
        self.shards = shards; self.params = params; self.generation = generation
    }
}

/// Generation and serving settings that change model outputs (so they enter eval identities).
public struct GenerationSettings: Sendable, Codable, Equatable, Hashable {
    public var temperature: Double
    public var topP: Double
    public var maxTokens: Int
    public var seed: Int
    /// Serving dtype (`float16`, `bfloat16`, `auto`).
    public var dtype: String
    /// `--enforce-eager` (no torch.compile / CUDA graphs).
    public var enforceEager: Bool
    /// Context length given to the server (`--max-model-len`).
    public var maxModelLen: Int

    public init(temperature: Double = 0, topP: Double = 1, maxTokens: Int = 512, seed: Int = 0,
                dtype: String = "auto", enforceEager: Bool = false, maxModelLen: Int = 8192) {
        self.temperature = temperature; self.topP = topP; self.maxTokens = maxTokens; self.seed = seed
        self.dtype = dtype; self.enforceEager = enforceEager; self.maxModelLen = maxModelLen
    }
}

/// `[analysis]`: one analysis unit per (model, compressed method), comparing its logits with the
/// uncompressed model's on `sequences` seeded sequences of `positions` tokens of generated text.
public struct AnalysisSpec: Sendable, Codable, Equatable, Hashable {
    public var sequences: Int
    public var positions: Int
    public var seed: Int

    public init(sequences: Int = 8, positions: Int = 32, seed: Int = 0) {
        self.sequences = sequences; self.positions = positions; self.seed = seed
    }
}
