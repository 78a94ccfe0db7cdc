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
    public var workers: [WorkerLine]
    public var elapsed: Double

    /// Seconds left, extrapolated from the cost finished so far; nil before anything finished.
    public var eta: Double? {
        guard costDone > 0, elapsed > 1 else { return nil }
        return (costTotal - costDone) * elapsed / costDone
    }
}

extension CoordinatorEngine {
    /// The live state of the sweep.
    public func snapshot(now: Double = wallClock()) -> SweepSnapshot {
        var counts: [UnitState: Int] = [:]
        var costDone = 0.0, costTotal = 0.0
        for r in records.values {
            counts[r.state, default: 0] += 1
            costTotal += r.spec.estimatedCost
            if r.state == .done || r.state == .failed { costDone += r.spec.estimatedCost }
            else if r.state == .running, let t = r.sampleTotal, t > 0 { costDone += r.spec.estimatedCost * Double(r.stored) / Double(t) }
        }
        let lines = workers.values.sorted { $0.name < $1.name }.map {
            SweepSnapshot.WorkerLine(name: $0.name, state: $0.state.rawValue, unit: $0.unit.flatMap { records[$0]?.spec.slot },
                                     done: $0.done, total: $0.total, note: $0.note)
        }
        return SweepSnapshot(sweep: sweep, counts: counts, total: records.count, samples: samplesCommitted,
                             costDone: costDone, costTotal: costTotal, workers: lines, elapsed: now - startedAt)
    }
}
