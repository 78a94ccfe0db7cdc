import Protocol

/// Where a unit stands.
public enum UnitState: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker (or for its dependencies, or for its retry backoff).
    case pending
    /// Leased to a worker.
    case running
    /// Finished; its results are complete.
    case done
    /// Failed and out of retries for its failure class.
    case failed
}

/// A unit as the coordinator tracks it: its spec plus its mutable state (a row of `units`).
public struct UnitRecord: Sendable {
    public var spec: UnitSpec
    public var state: UnitState
    /// Leases granted so far.
    public var attempts: Int
    /// Epoch of the current (or last) lease; results of other epochs are refused.
    public var epoch: Int
    public var worker: String?
    public var leaseExpires: Double?
    public var failureClass: FailureClass?
    public var failureMessage: String?
    /// Failures counted per class, against that class's retry budget.
    public var classAttempts: [String: Int]
    /// Not before this wall-clock time (retry backoff).
    public var retryAfter: Double
    /// Samples in the unit, once a worker has told.
    public var sampleTotal: Int?
    /// Samples stored.
    public var stored: Int
    public var summary: [String: Double]
    public var startedAt: Double?
    public var finishedAt: Double?

    public init(spec: UnitSpec) {
        self.spec = spec; state = .pending; attempts = 0; epoch = 0; classAttempts = [:]; retryAfter = 0
        stored = 0; summary = [:]
    }
}
