import Protocol

extension CoordinatorEngine {
    /// Without shared artifact storage (`paths.artifacts_shared = false`) a compressed artifact
    /// lives only on the host that made it, and the scheduler runs its eval units there only. When
    /// no live worker of that host has been seen for longer than an eval lease (`lease.eval_ttl_s`)
    /// while eval units still wait for the artifact, the host is taken as gone: the artifact is
    /// forgotten and its compress unit goes back to the queue, to be compressed again elsewhere.
    func recompressLostArtifacts(now: Double) -> [Outgoing] {
        guard !config.paths.artifactsShared else { return [] }
        for w in workers.values where w.state == .idle || w.state == .busy {
            hostSeen[w.capabilities.host] = now
        }
        let grace = config.lease.evalTTLSeconds
        for (unit, host) in artifactHosts {
            let gone = now - (hostSeen[host] ?? startedAt)
            guard gone > grace, var r = records[unit], r.state == .done,
                  dependents[unit, default: []].contains(where: { records[$0]?.state == .pending }) else { continue }
            r.state = .pending; r.retryAfter = now; r.finishedAt = nil; r.worker = nil
            artifactHosts[unit] = nil
            artifacts[unit] = nil
            let why = "its artifact is on host \(host), which has had no live worker for \(Int(gone)) s; compressing again"
            do {
                try store.db.transaction {
                    try store.save(r)
                    try store.deleteArtifact(unit: unit)
                    try store.event("artifact_lost", unit: unit, worker: nil, why, now: now)
                }
            } catch { log.error("cannot requeue \(r.spec.slot): \(error)") }
            records[unit] = r
            log.warning("\(r.spec.slot): \(why)")
        }
        return []
    }
}
