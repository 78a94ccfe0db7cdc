import Protocol

/// One (model, method, task) of the study: its status, its aggregate metrics and their provenance.
public struct ResultCell: Sendable {
    public var model: String
    public var method: String
    public var task: String
    public var suite: String
    public var status: CellStatus
    /// The suite's aggregate (reference aggregation) over all shards' samples: final when `done`,
    /// the old identity's when `stale`, empty otherwise.
    public var metrics: [String: Double]
    /// The metric the main table shows.
    public var headline: String?
    public var samples: Int
    public var sampleTotal: Int?
    /// The eval units behind the cell (for `stale`: the old ones), in shard order.
    public var unitIds: [String]
    /// Digest of the compressed artifact evaluated (nil for the uncompressed baseline).
    public var artifactDigest: String?

    public var capability: Capability { Capability.of(suite: suite) }

    /// The headline value when the cell is done.
    public var score: Double? {
        guard status == .done, let h = headline else { return nil }
        return metrics[h]
    }
}

/// A task column of the main table.
public struct TaskColumn: Sendable, Equatable {
    public var name: String
    public var suite: String
    public var capability: Capability { Capability.of(suite: suite) }
}
