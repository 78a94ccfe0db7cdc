import Protocol

/// Everything an executor may use to run one unit.
public struct UnitContext: Sendable {
    public let assignment: AssignMessage
    /// Sample indices already stored by earlier attempts; executors skip them.
    public let completed: Set<Int>
    public let worker: WorkerIdentity
    public let config: ClusterConfig

    public init(assignment: AssignMessage, worker: WorkerIdentity, config: ClusterConfig) {
        self.assignment = assignment; self.worker = worker; self.config = config
        var done = Set<Int>()
        for r in assignment.completed where r.count == 2 { done.formUnion(r[0]...r[1]) }
        completed = done
    }

    public var unit: UnitSpec { assignment.unit }
}

/// Who the worker is and what it owns.
public struct WorkerIdentity: Sendable {
    public var name: String
    /// Slot index on its host (port ranges, log names).
    public var slot: Int
    public var host: String
    /// GPU ids pinned with `CUDA_VISIBLE_DEVICES` (empty: CPU slot).
    public var gpus: [Int]
    /// Where this worker keeps artifacts, logs and server state.
    public var artifactsDir: String
    public var logsDir: String
    public var stateDir: String

    public init(name: String, slot: Int, host: String, gpus: [Int], artifactsDir: String, logsDir: String, stateDir: String) {
        self.name = name; self.slot = slot; self.host = host; self.gpus = gpus
        self.artifactsDir = artifactsDir; self.logsDir = logsDir; self.stateDir = stateDir
    }

    /// The value of `CUDA_VISIBLE_DEVICES` for everything this worker spawns.
    public var cudaVisibleDevices: String { gpus.map(String.init).joined(separator: ",") }
}

/// Where an executor sends what it produces. Every call is safe from any task.
public protocol UnitSink: Sendable {
    /// Journals and sends one sample result. Throws `CancellationError` once the lease is gone.
    func emit(_ sample: SampleResult) async throws
    /// Reports progress (renews the lease; shown in the live view).
    func progress(done: Int, total: Int, note: String)
}

/// What a finished unit reports.
public struct UnitOutcome: Sendable {
    /// Samples the unit has in all (stored earlier or now).
    public var sampleCount: Int
    public var summary: [String: Double]
    public var artifact: ArtifactInfo?
    /// Analysis units: the metric values.
    public var analysis: [AnalysisValue]?

    public init(sampleCount: Int, summary: [String: Double] = [:], artifact: ArtifactInfo? = nil,
                analysis: [AnalysisValue]? = nil) {
        self.sampleCount = sampleCount; self.summary = summary; self.artifact = artifact; self.analysis = analysis
    }
}

/// A classified failure of a unit; the coordinator applies the class's retry policy.
public struct UnitFailure: Error, CustomStringConvertible {
    public var failure: FailureClass
    public var message: String
    public init(_ failure: FailureClass, _ message: String) { self.failure = failure; self.message = message }
    public var description: String { "\(failure.rawValue): \(message)" }
}

/// Runs units of some kinds. Compress and eval executors register with the worker's `ExecutorRegistry`.
public protocol UnitExecutor: Sendable {
    /// Whether this executor runs `unit`.
    func accepts(_ unit: UnitSpec) -> Bool
    /// Runs the unit, skipping `context.completed`, emitting each sample through `sink`.
    func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome
}

/// The executors a worker has, tried in order.
public struct ExecutorRegistry: Sendable {
    public var executors: [any UnitExecutor]
    public init(_ executors: [any UnitExecutor]) { self.executors = executors }

    public func executor(for unit: UnitSpec) -> (any UnitExecutor)? { executors.first { $0.accepts(unit) } }
}
