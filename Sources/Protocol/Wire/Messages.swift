/// What a worker can run on: its GPUs (or a CPU slot) and their memory.
public struct Capabilities: Sendable, Codable, Equatable {
    /// Host name the worker runs on.
    public var host: String
    /// GPU ids pinned to this worker (empty for a CPU slot).
    public var gpus: [Int]
    /// GPU model name (`NVIDIA H200`), or `cpu`.
    public var device: String
    /// Usable accelerator memory in GiB (sum over its GPUs; host memory share for a CPU slot).
    public var memoryGiB: Double
    /// Ids of compress units whose artifacts sit on this worker's disk.
    public var artifacts: [String]
    /// Unit kinds this worker accepts (a host can be restricted to compression, say).
    public var kinds: [UnitKind]

    public init(host: String, gpus: [Int], device: String, memoryGiB: Double, artifacts: [String], kinds: [UnitKind]) {
        self.host = host; self.gpus = gpus; self.device = device; self.memoryGiB = memoryGiB
        self.artifacts = artifacts; self.kinds = kinds
    }
}

/// A unit a worker says it is running (in READY, after a reconnect).
public struct RunningUnit: Sendable, Codable, Equatable {
    public var unit: String
    public var epoch: Int
    public init(unit: String, epoch: Int) { self.unit = unit; self.epoch = epoch }
}

/// READY: a worker registers (first connect, reconnect, or after a coordinator restart).
public struct ReadyMessage: Sendable, Codable, Equatable {
    public var worker: String
    /// New for every process start; a change tells the coordinator the old process is gone.
    public var incarnation: String
    public var minor: Int
    public var capabilities: Capabilities
    /// Artifact (unit id or `model:NAME`) the worker's server currently holds, if any.
    public var serving: String?
    public var running: [RunningUnit]

    public init(worker: String, incarnation: String, minor: Int = WireVersion.minor, capabilities: Capabilities,
                serving: String? = nil, running: [RunningUnit] = []) {
        self.worker = worker; self.incarnation = incarnation; self.minor = minor
        self.capabilities = capabilities; self.serving = serving; self.running = running
    }
}

/// ASK: the worker is idle and wants work. `serving` lets the scheduler prefer the warm artifact.
public struct AskMessage: Sendable, Codable, Equatable {
    public var serving: String?
    public var artifacts: [String]
    public init(serving: String? = nil, artifacts: [String] = []) { self.serving = serving; self.artifacts = artifacts }
}

/// PROGRESS: renews the unit's lease and updates the live view.
public struct ProgressMessage: Sendable, Codable, Equatable {
    public var unit: String
    public var epoch: Int
    public var done: Int
    public var total: Int
    public var note: String
    public init(unit: String, epoch: Int, done: Int, total: Int, note: String = "") {
        self.unit = unit; self.epoch = epoch; self.done = done; self.total = total; self.note = note
    }
}

/// RESULT: one sample result, keyed by (unit, epoch, seq) for idempotent storage.
public struct ResultMessage: Sendable, Codable, Equatable {
    public var unit: String
    public var epoch: Int
    public var seq: Int
    public var sample: SampleResult
    public init(unit: String, epoch: Int, seq: Int, sample: SampleResult) {
        self.unit = unit; self.epoch = epoch; self.seq = seq; self.sample = sample
    }
}

/// What a compress unit produced, announced so eval units can be placed next to it.
public struct ArtifactInfo: Sendable, Codable, Equatable {
    public var path: String
    public var digest: String
    public var bytes: Int64
    public var host: String
    public init(path: String, digest: String, bytes: Int64, host: String) {
        self.path = path; self.digest = digest; self.bytes = bytes; self.host = host
    }
}

/// FINISH: the unit ended. Sent only after every RESULT of the unit was acknowledged.
public struct FinishMessage: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable { case done, failed }
    public var unit: String
    public var epoch: Int
    /// Sequence number of this message (one past the last RESULT).
    public var seq: Int
    public var outcome: Outcome
    /// Samples in the unit (all stored when `outcome == .done`).
    public var sampleCount: Int
    public var failure: FailureClass?
    public var message: String?
    /// Task-level aggregates, or compression statistics.
    public var summary: [String: Double]
    public var artifact: ArtifactInfo?
    /// Analysis units: the metric values they computed.
    public var analysis: [AnalysisValue]?

    public init(unit: String, epoch: Int, seq: Int, outcome: Outcome, sampleCount: Int, failure: FailureClass? = nil,
                message: String? = nil, summary: [String: Double] = [:], artifact: ArtifactInfo? = nil,
                analysis: [AnalysisValue]? = nil) {
        self.unit = unit; self.epoch = epoch; self.seq = seq; self.outcome = outcome; self.sampleCount = sampleCount
        self.failure = failure; self.message = message; self.summary = summary; self.artifact = artifact
        self.analysis = analysis
    }
}

/// LEAVING: the worker drains and will not ask again.
public struct LeavingMessage: Sendable, Codable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// Settings the coordinator changes on a retry (an out-of-memory retry changes the configuration).
public struct RetryHints: Sendable, Codable, Equatable {
    public var gpuMemoryUtilization: Double?
    public var maxModelLen: Int?
    public var concurrency: Int?
    public init(gpuMemoryUtilization: Double? = nil, maxModelLen: Int? = nil, concurrency: Int? = nil) {
        self.gpuMemoryUtilization = gpuMemoryUtilization; self.maxModelLen = maxModelLen; self.concurrency = concurrency
    }
}

/// ASSIGN: a lease on one unit.
public struct AssignMessage: Sendable, Codable, Equatable {
    public var unit: UnitSpec
    public var epoch: Int
    public var attempt: Int
    public var leaseSeconds: Double
    /// Sample indices already stored, as closed ranges `[lo, hi]`; the executor skips them.
    public var completed: [[Int]]
    /// Artifact of the compress unit this eval unit depends on (nil for the baseline).
    public var artifact: ArtifactInfo?
    public var hints: RetryHints

    public init(unit: UnitSpec, epoch: Int, attempt: Int, leaseSeconds: Double, completed: [[Int]],
                artifact: ArtifactInfo?, hints: RetryHints = RetryHints()) {
        self.unit = unit; self.epoch = epoch; self.attempt = attempt; self.leaseSeconds = leaseSeconds
        self.completed = completed; self.artifact = artifact; self.hints = hints
    }
}

/// NOWORK: nothing fits this worker now; ask again later (or exit when `sweepDone`).
public struct NoWorkMessage: Sendable, Codable, Equatable {
    public var retryAfterMs: Int
    public var sweepDone: Bool
    public init(retryAfterMs: Int, sweepDone: Bool) { self.retryAfterMs = retryAfterMs; self.sweepDone = sweepDone }
}

/// ACK: these sequence numbers of (unit, epoch) are committed; the worker drops them from its journal.
public struct AckMessage: Sendable, Codable, Equatable {
    public var unit: String
    public var epoch: Int
    public var seqs: [Int]
    public init(unit: String, epoch: Int, seqs: [Int]) { self.unit = unit; self.epoch = epoch; self.seqs = seqs }
}

/// CANCEL: stop (unit, epoch); its lease is gone. Journal entries of that epoch are dropped.
public struct CancelMessage: Sendable, Codable, Equatable {
    public var unit: String
    public var epoch: Int
    public var reason: String
    public init(unit: String, epoch: Int, reason: String) { self.unit = unit; self.epoch = epoch; self.reason = reason }
}

/// DISCONNECT: re-register (or exit, when `fatal`).
public struct DisconnectMessage: Sendable, Codable, Equatable {
    public var reason: String
    public var fatal: Bool
    public init(reason: String, fatal: Bool) { self.reason = reason; self.fatal = fatal }
}

/// HEARTBEAT has an empty body.
public struct HeartbeatMessage: Sendable, Codable, Equatable { public init() {} }

/// One analysis metric value of a (model, method): `erank`, `kendall`/`spearman` (per k and
/// position), `energy` (per position). `value` nil stands for NaN (JSON has no NaN).
public struct AnalysisValue: Sendable, Codable, Equatable {
    public var method: String
    public var metric: String
    public var k: Int
    public var position: Int
    public var value: Double?

    public init(method: String, metric: String, k: Int = 0, position: Int = -1, value: Double) {
        self.method = method; self.metric = metric; self.k = k; self.position = position
        self.value = value.isNaN ? nil : value
    }
}
