/// `cluster.conf`: where and how the sweep runs. Loaded by `ClusterConfigLoader`.
public struct ClusterConfig: Sendable, Equatable {
    public var coordinator: CoordinatorSettings
    public var heartbeat: HeartbeatSettings
    public var lease: LeaseSettings
    public var retry: RetrySettings
    public var paths: PathSettings
    public var serving: ServingSettings
    public var curve: CurveSettings?
    public var agentboard: AgentBoardSettings
    public var hosts: [HostSettings]
    /// The file this was loaded from, as the user named it (`nil` when built in code); used in messages.
    public var sourcePath: String?
    /// Absolute folder of that file; relative paths in it were resolved against this folder
    /// (`nil` when built in code, in which case paths are as given).
    public var baseDirectory: String?

    public init(coordinator: CoordinatorSettings = .init(), heartbeat: HeartbeatSettings = .init(),
                lease: LeaseSettings = .init(), retry: RetrySettings = .init(), paths: PathSettings = .init(),
                serving: ServingSettings = .init(), curve: CurveSettings? = nil, agentboard: AgentBoardSettings = .init(),
                hosts: [HostSettings] = [],
                sourcePath: String? = nil, baseDirectory: String? = nil) {
        self.coordinator = coordinator; self.heartbeat = heartbeat; self.lease = lease; self.retry = retry
        self.paths = paths; self.serving = serving; self.curve = curve; self.agentboard = agentboard; self.hosts = hosts
        self.sourcePath = sourcePath; self.baseDirectory = baseDirectory
    }
}

/// `[coordinator]`
public struct CoordinatorSettings: Sendable, Equatable {
    /// ZeroMQ endpoint the ROUTER binds (`tcp://127.0.0.1:5555`).
    public var bind: String
    /// Endpoint workers connect to (defaults to `bind` with `*`/`0.0.0.0` replaced by `127.0.0.1`).
    public var connect: String?
    /// Allow binding a non-loopback address without CURVE keys.
    public var allowPlaintext: Bool
    /// Results committed per SQLite transaction at most.
    public var commitBatch: Int
    /// Longest a result waits before its batch is committed, in milliseconds.
    public var commitIntervalMs: Int
    /// Largest message accepted or sent, in bytes.
    public var maxMessageBytes: Int
    /// HTTP port of the status page and Prometheus metrics (on `bind`'s host); nil: none, 0: any free port.
    public var statusPort: Int?

    public init(bind: String = "tcp://127.0.0.1:5555", connect: String? = nil, allowPlaintext: Bool = false,
                commitBatch: Int = 512, commitIntervalMs: Int = 20, maxMessageBytes: Int = 16 << 20, statusPort: Int? = nil) {
        self.bind = bind; self.connect = connect; self.allowPlaintext = allowPlaintext
        self.commitBatch = commitBatch; self.commitIntervalMs = commitIntervalMs; self.maxMessageBytes = maxMessageBytes
        self.statusPort = statusPort
    }
}

/// `[heartbeat]` — Paranoid-Pirate transport liveness.
public struct HeartbeatSettings: Sendable, Equatable {
    public var intervalMs: Int
    /// Missed intervals before a peer is presumed gone.
    public var liveness: Int
    public var reconnectInitialMs: Int
    public var reconnectMaxMs: Int

    public init(intervalMs: Int = 2000, liveness: Int = 3, reconnectInitialMs: Int = 1000, reconnectMaxMs: Int = 32000) {
        self.intervalMs = intervalMs; self.liveness = liveness
        self.reconnectInitialMs = reconnectInitialMs; self.reconnectMaxMs = reconnectMaxMs
    }
}

/// `[lease]` — how long a unit may go without progress before it is requeued.
public struct LeaseSettings: Sendable, Equatable {
    public var evalTTLSeconds: Double
    public var compressTTLSeconds: Double

    public init(evalTTLSeconds: Double = 600, compressTTLSeconds: Double = 3600) {
        self.evalTTLSeconds = evalTTLSeconds; self.compressTTLSeconds = compressTTLSeconds
    }
}

/// `[retry]` — attempts allowed per failure class, and the backoff between them.
public struct RetrySettings: Sendable, Equatable {
    /// Failure class → attempts allowed after the first (0 = never retry).
    public var budgets: [FailureClass: Int]
    public var backoffInitialSeconds: Double
    public var backoffMaxSeconds: Double

    public static let defaultBudgets: [FailureClass: Int] = [
        .lostWorker: 5, .serverStart: 2, .outOfMemory: 2, .badModel: 0, .dataMissing: 0,
        .scorerError: 1, .timeout: 2, .internalError: 1,
    ]

    public init(budgets: [FailureClass: Int] = RetrySettings.defaultBudgets,
                backoffInitialSeconds: Double = 5, backoffMaxSeconds: Double = 300) {
        self.budgets = budgets; self.backoffInitialSeconds = backoffInitialSeconds; self.backoffMaxSeconds = backoffMaxSeconds
    }

    public func budget(for c: FailureClass) -> Int { budgets[c] ?? RetrySettings.defaultBudgets[c] ?? 0 }
}

/// `[paths]` — where state, artifacts, caches, journals and logs live (relative to the config file's folder).
public struct PathSettings: Sendable, Equatable {
    public var state: String
    public var artifacts: String
    public var cache: String
    public var journal: String
    public var logs: String
    /// True when `artifacts` is shared storage visible from every host.
    public var artifactsShared: Bool

    public init(state: String = "state/acbench.sqlite", artifacts: String = "artifacts", cache: String = "cache",
                journal: String = "state/journal", logs: String = "logs", artifactsShared: Bool = false) {
        self.state = state; self.artifacts = artifacts; self.cache = cache; self.journal = journal
        self.logs = logs; self.artifactsShared = artifactsShared
    }
}

/// `[serving]` — how a worker starts its inference server.
public struct ServingSettings: Sendable, Equatable {
    /// `vllm` (spawned), or `external` (an OpenAI-compatible URL given in `url`).
    public var engine: String
    /// Command template; `{model}`, `{port}`, `{served_name}`, `{dtype}`, `{max_model_len}` are substituted.
    public var command: [String]
    /// Extra arguments appended to `command`.
    public var args: [String]
    /// Extra environment for the server process.
    public var env: [String: String]
    /// Python environment holding vLLM (its `bin/` is put first on PATH).
    public var venv: String?
    /// For `engine = "external"`: base URL of the endpoint.
    public var url: String?
    /// First port of the block; slot N uses `portBase + N * portStride`.
    public var portBase: Int
    public var portStride: Int
    public var startupTimeoutSeconds: Double
    /// Requests in flight per eval unit.
    public var concurrency: Int

    public init(engine: String = "vllm",
                command: [String] = ["vllm", "serve", "{model}", "--port", "{port}", "--served-model-name", "{served_name}",
                                     "--dtype", "{dtype}", "--max-model-len", "{max_model_len}"],
                args: [String] = [], env: [String: String] = [:], venv: String? = nil, url: String? = nil,
                portBase: Int = 18000, portStride: Int = 10, startupTimeoutSeconds: Double = 600, concurrency: Int = 32) {
        self.engine = engine; self.command = command; self.args = args; self.env = env; self.venv = venv
        self.url = url; self.portBase = portBase; self.portStride = portStride
        self.startupTimeoutSeconds = startupTimeoutSeconds; self.concurrency = concurrency
    }
}

/// `[curve]` — CURVE keys. With this table present the coordinator accepts only listed workers.
public struct CurveSettings: Sendable, Equatable {
    /// Coordinator's public key (Z85, 40 characters).
    public var serverPublic: String
    /// File holding the coordinator's secret key (mode 0600); read by the coordinator only.
    public var serverSecretFile: String?
    /// Worker name → worker public key (Z85).
    public var workers: [String: String]
    /// Folder holding `<worker-name>.key_secret` files for workers started on this host.
    public var workerKeysDir: String?

    public init(serverPublic: String, serverSecretFile: String? = nil, workers: [String: String] = [:], workerKeysDir: String? = nil) {
        self.serverPublic = serverPublic; self.serverSecretFile = serverSecretFile
        self.workers = workers; self.workerKeysDir = workerKeysDir
    }
}

/// `[[hosts]]` — a machine that runs workers.
public struct HostSettings: Sendable, Equatable {
    public var name: String
    public var address: String
    /// GPU ids to use (`nil`: all that nvidia-smi lists); empty on CPU-only hosts.
    public var gpus: [Int]?
    /// CPU slots (workers) when the host has no GPU.
    public var cpuSlots: Int
    /// GPUs per worker (tensor-parallel groups).
    public var gpusPerWorker: Int
    /// Unit kinds this host's workers take (e.g. only `compress` on a CPU-rich host).
    public var kinds: [UnitKind]

    public init(name: String, address: String, gpus: [Int]? = nil, cpuSlots: Int = 1, gpusPerWorker: Int = 1,
                kinds: [UnitKind] = UnitKind.allCases) {
        self.name = name; self.address = address; self.gpus = gpus; self.cpuSlots = cpuSlots; self.gpusPerWorker = gpusPerWorker
        self.kinds = kinds
    }
}
