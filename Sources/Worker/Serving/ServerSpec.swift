import FoundationEssentials

/// What a server serves. Two equal specs can share one running server (warm reuse).
public struct ServerSpec: Sendable, Hashable {
    /// Model folder (or engine-specific model id) substituted for `{model}`.
    public var model: String
    /// Name the server publishes in `/v1/models` and accepts in requests (`{served_name}`).
    public var servedName: String
    /// `{dtype}`; `nil` drops the placeholder and the option before it (engine default).
    public var dtype: String?
    /// `{max_model_len}`; `nil` drops the placeholder and the option before it.
    public var maxModelLen: Int?
    /// Arguments appended after the configured ones (for example a per-unit `--quantization`).
    public var extraArgs: [String]

    public init(model: String, servedName: String, dtype: String? = nil, maxModelLen: Int? = nil, extraArgs: [String] = []) {
        self.model = model; self.servedName = servedName; self.dtype = dtype
        self.maxModelLen = maxModelLen; self.extraArgs = extraArgs
    }
}

/// A server that passed every readiness check.
public struct RunningServer: Sendable, Equatable {
    public var spec: ServerSpec
    /// HTTP port on 127.0.0.1.
    public var port: Int
    /// Process group id (the guard process's pid; vLLM and all its children share it).
    public var processGroup: Int32
    /// File holding the server's stdout and stderr.
    public var logFile: String
    /// Launch until every readiness check passed, in seconds.
    public var startupSeconds: Double
    /// Ports tried before this one succeeded (busy or address-in-use).
    public var skippedPorts: [Int]

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }
}

/// Where a stale server from an earlier run went.
public struct StaleServerReport: Sendable, Equatable {
    public enum Outcome: String, Sendable { case killed, alreadyGone, notOurs }
    public var pidfile: String
    public var processGroup: Int32
    public var outcome: Outcome
    /// Processes that were in the group when cleanup started.
    public var members: Int
}
