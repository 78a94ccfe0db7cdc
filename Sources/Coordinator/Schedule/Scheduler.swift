import Protocol

/// Picks the best unit for a worker that asks (DESIGN.md, "How a sweep flows", step 4):
/// 1. an eval unit for the artifact the worker is serving (warm server);
/// 2. an eval unit whose artifact is already on the worker's disk;
/// 3. a compress unit, the one that unlocks the most eval work first, then the longest;
/// 4. any other eval unit, longest first; then analysis units;
/// never a unit that does not fit the worker's memory, whose dependencies are not done, whose
/// retry backoff has not passed, or (without shared artifact storage) whose artifact is on another host.
public struct Scheduler: Sendable {
    /// Whether every host sees every artifact (cluster.conf `paths.artifacts_shared`).
    public var artifactsShared: Bool

    public init(artifactsShared: Bool) { self.artifactsShared = artifactsShared }

    /// What the scheduler needs to know about the sweep.
    public struct View {
        public var records: [String: UnitRecord]
        public var order: [String]
        /// Compress unit id → ids of the eval units that need it.
        public var dependents: [String: [String]]
        /// Compress unit id → host holding its artifact.
        public var artifactHosts: [String: String]
    }

    /// The id of the unit to assign to `worker`, or nil when nothing fits now.
    public func pick(for worker: WorkerSession, in view: View, now: Double) -> String? {
        var best: (tier: Int, a: Double, b: Double, id: String)?
        for id in view.order {
            guard let r = view.records[id], r.state == .pending, r.retryAfter <= now,
                  worker.capabilities.kinds.contains(r.spec.kind) else { continue }
            guard r.spec.dependsOn.allSatisfy({ view.records[$0]?.state == .done }) else { continue }
            let tier: Int, a: Double
            switch r.spec.kind {
            case .analysis:
                // CPU work next to its artifact; runs after the eval work it does not block.
                if let dep = r.spec.dependsOn.first, !artifactsShared,
                   let host = view.artifactHosts[dep], host != worker.capabilities.host { continue }
                tier = 4
                a = 0
            case .compress:
                tier = 2
                a = Double(view.dependents[id]?.filter { view.records[$0]?.state == .pending }.count ?? 0)
            case .eval:
                if r.spec.memoryGiB > worker.capabilities.memoryGiB && !worker.capabilities.gpus.isEmpty { continue }
                let key = r.spec.artifactKey
                if let dep = r.spec.dependsOn.first, !artifactsShared,
                   let host = view.artifactHosts[dep], host != worker.capabilities.host { continue }
                if key == worker.serving { tier = 0 }
                else if worker.artifacts.contains(key) || r.spec.dependsOn.first.map({ view.artifactHosts[$0] == worker.capabilities.host && !artifactsShared }) == true { tier = 1 }
                else { tier = 3 }
                a = 0
            }
            let b = r.spec.estimatedCost
            if let cur = best {
                if tier > cur.tier { continue }
                if tier == cur.tier && (a < cur.a || (a == cur.a && b <= cur.b)) { continue }
            }
            best = (tier, a, b, id)
        }
        return best?.id
    }
}
