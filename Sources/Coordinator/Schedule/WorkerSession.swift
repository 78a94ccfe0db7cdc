import Protocol

/// A connected (or recently seen) worker, as the coordinator tracks it.
public struct WorkerSession: Sendable {
    public enum State: String, Sendable { case idle, busy, lost, leaving }

    public var name: String
    /// ZeroMQ routing id of its latest READY; messages to the worker go there.
    public var peer: [UInt8]
    public var incarnation: String
    public var capabilities: Capabilities
    /// Artifact key its server holds (warm), if any.
    public var serving: String?
    public var artifacts: Set<String>
    public var state: State
    /// Unit it holds a lease on.
    public var unit: String?
    public var lastSeen: Double
    public var lastSent: Double
    /// Progress it last reported (for the live view).
    public var done: Int = 0
    public var total: Int = 0
    public var note: String = ""
    /// What the `workers` table holds for it, and when that was written (`persistWorker`).
    struct SavedRow: Equatable, Sendable { var state: String; var unit: String?; var serving: String? }
    var saved: SavedRow?
    var savedAt = 0.0

    public init(name: String, peer: [UInt8], incarnation: String, capabilities: Capabilities, now: Double) {
        self.name = name; self.peer = peer; self.incarnation = incarnation; self.capabilities = capabilities
        artifacts = Set(capabilities.artifacts); state = .idle; lastSeen = now; lastSent = now
    }
}
