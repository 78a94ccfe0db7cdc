import Protocol

/// A point-in-time summary of a running sweep, for the live view and `status`.
public struct SweepSnapshot: Sendable {
    public struct WorkerLine: Sendable {
        public var name: String
        public var state: String
        public var unit: String?
        public var done: Int
        public var total: Int
        public var note: String
    }
    public var sweep: String
    public var counts: [UnitState: Int]
    public var total: Int
    public var samples: Int
    /// Estimated cost of finished and of all units (CostModel units), for the ETA.
    public var costDone: Double
    public var costTotal: Double
    /// `costDone` when this coordinator started (work of earlier runs that a resume reuses).
    public var costDoneAtStart: Double = 0
    public var workers: [WorkerLine]
    public var elapsed: Double

    /// Seconds left, extrapolated from the cost finished since this coordinator started (work
    /// reused from an earlier run does not count as speed); nil before anything finished.
    public var eta: Double? {
        let progress = costDone - costDoneAtStart
        guard progress > 0, elapsed > 1 else { return nil }
        return (costTotal - costDone) * elapsed / progress
    }
}

extension CoordinatorEngine {
    /// The live state of the sweep.
    public func snapshot(now: Double = wallClock()) -> SweepSnapshot {
        var counts: [UnitState: Int] = [:]
        var costTotal = 0.0
        for r in records.values {
            counts[r.state, default: 0] += 1
            costTotal += r.spec.estimatedCost
        }
        let lines = workers.values.sorted { $0.name < $1.name }.map {
            SweepSnapshot.WorkerLine(name: $0.name, state: $0.state.rawValue, unit: $0.unit.flatMap { records[$0]?.spec.slot },
                                     done: $0.done, total: $0.total, note: $0.note)
        }
        return SweepSnapshot(sweep: sweep, counts: counts, total: records.count, samples: samplesCommitted,
                             costDone: Self.costFinished(records.values), costTotal: costTotal, costDoneAtStart: costDoneAtStart,
                             workers: lines, elapsed: now - startedAt)
    }

    /// Estimated cost of the finished units plus the stored fraction of the running ones.
    static func costFinished(_ records: some Sequence<UnitRecord>) -> Double {
        records.reduce(0) { sum, r in
            if r.state == .done || r.state == .failed { return sum + r.spec.estimatedCost }
            if r.state == .running, let t = r.sampleTotal, t > 0 { return sum + r.spec.estimatedCost * Double(r.stored) / Double(t) }
            return sum
        }
    }
}
