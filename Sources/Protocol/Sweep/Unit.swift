/// What a unit does.
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    /// Compress one model with one method into an artifact.
    case compress
    /// Run one task (or one shard of it) against one artifact.
    case eval
    /// Compare a compressed model's logits with its uncompressed model's (ERank, top-k ranking
    /// correlation, energy) on the same token sequences, with Kernels' forward pass.
    case analysis
}

/// A unit of work: one node of the sweep's DAG, as planned by the coordinator and sent to a worker.
///
/// `id` is the content identity (see `UnitIdentity`); `slot` is the human key
/// (`model/method/task#shard`) under which a changed identity shows as stale.
public struct UnitSpec: Sendable, Codable, Equatable, Hashable {
    public var id: String
    public var slot: String
    public var kind: UnitKind
    public var model: ModelSpec
    public var method: MethodSpec
    /// The task, for eval units.
    public var task: TaskSpec?
    /// Shard index and count, for eval units.
    public var shard: Int
    public var shardCount: Int
    /// Generation settings in effect (eval units).
    public var generation: GenerationSettings?
    /// Ids of the units this one needs (an eval unit needs its compress unit).
    public var dependsOn: [String]
    /// The canonical identity fields (sorted JSON) hashed into `id`; kept so `plan` can explain staleness.
    public var identityJSON: String
    /// Expected work in arbitrary cost units (seconds on a reference GPU); the scheduler runs longest first.
    public var estimatedCost: Double
    /// GPU memory the unit needs, in GiB (0 for CPU-only work).
    public var memoryGiB: Double
    /// Analysis units: what to compare on.
    public var analysis: AnalysisSpec?

    public static func == (a: UnitSpec, b: UnitSpec) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }

    public init(id: String, slot: String, kind: UnitKind, model: ModelSpec, method: MethodSpec, task: TaskSpec?,
                shard: Int, shardCount: Int, generation: GenerationSettings?, dependsOn: [String],
                identityJSON: String, estimatedCost: Double, memoryGiB: Double, analysis: AnalysisSpec? = nil) {
        self.id = id; self.slot = slot; self.kind = kind; self.model = model; self.method = method
        self.task = task; self.shard = shard; self.shardCount = shardCount; self.generation = generation
        self.dependsOn = dependsOn; self.identityJSON = identityJSON
        self.estimatedCost = estimatedCost; self.memoryGiB = memoryGiB; self.analysis = analysis
    }
}

/// One scored answer (single-turn) or one finished episode (multi-turn), streamed by the worker.
public struct SampleResult: Sendable, Codable, Equatable {
    /// Stable id from the task's data (never a position in a shuffled list).
    public var sampleId: String
    /// Position of the sample within its unit (0-based); resume continues from the first missing index.
    public var index: Int
    /// Metric name → value (e.g. `rouge1_f`, `progress_rate`, `success`).
    public var scores: [String: Double]
    /// The model's answer (or the episode transcript), kept for reports and re-scoring.
    public var output: String
    /// Free-form details the report may show (context length, depth, subset...).
    public var meta: [String: String]
    /// Wall time spent on this sample, in milliseconds.
    public var latencyMs: Double

    public init(sampleId: String, index: Int, scores: [String: Double], output: String = "",
                meta: [String: String] = [:], latencyMs: Double = 0) {
        self.sampleId = sampleId; self.index = index; self.scores = scores; self.output = output
        self.meta = meta; self.latencyMs = latencyMs
    }
}

extension UnitSpec {
    /// What must be served (or loaded) to run this unit: the compress unit it depends on, or the
    /// uncompressed model. Workers report the key they serve; the scheduler prefers matching units.
    public var artifactKey: String { dependsOn.first ?? "base:\(model.name)" }
}
