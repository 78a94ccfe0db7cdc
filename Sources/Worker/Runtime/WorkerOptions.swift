import Protocol

/// How one worker process runs.
public struct WorkerOptions: Sendable {
    /// Coordinator endpoint (`tcp://head:5555`).
    public var endpoint: String
    public var identity: WorkerIdentity
    public var capabilities: Capabilities
    /// Where unacknowledged results are kept.
    public var journalPath: String
    /// CURVE: the coordinator's public key and this worker's key pair.
    public var curve: (serverKey: String, keys: CurveKeyPair)?
    /// Leave once the coordinator says the sweep is finished.
    public var exitWhenSweepDone: Bool

    public init(endpoint: String, identity: WorkerIdentity, capabilities: Capabilities, journalPath: String,
                curve: (serverKey: String, keys: CurveKeyPair)? = nil, exitWhenSweepDone: Bool = true) {
        self.endpoint = endpoint; self.identity = identity; self.capabilities = capabilities
        self.journalPath = journalPath; self.curve = curve; self.exitWhenSweepDone = exitWhenSweepDone
    }
}

/// Why `WorkerRuntime.run()` returned.
public enum WorkerExit: Sendable, Equatable {
    /// The sweep is finished (or the worker drained after SIGTERM).
    case finished
    case stopped
    /// The coordinator refused this worker for good (bad key, wrong version...).
    case refused(String)
}
