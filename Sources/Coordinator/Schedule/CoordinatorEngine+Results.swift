import Protocol

extension CoordinatorEngine {
    /// Why a (unit, epoch) message from `worker` cannot be accepted, or nil when it holds the lease.
    func leaseProblem(_ unit: String, epoch: Int, worker: String) -> String? {
        guard let r = records[unit] else { return "unit not in this sweep" }
        if r.state != .running { return "unit is \(r.state.rawValue)" }
        if r.epoch != epoch { return "stale epoch \(epoch) (current \(r.epoch))" }
        if r.worker != worker { return "lease held by \(r.worker ?? "nobody")" }
        return nil
    }

    func result(_ name: String, peer: [UInt8], _ m: ResultMessage, now: Double) -> [Outgoing] {
        if let problem = leaseProblem(m.unit, epoch: m.epoch, worker: name) {
            // A replay of something already committed in a finished epoch is acknowledged again.
            if let r = records[m.unit], r.state == .done, r.epoch == m.epoch, r.worker == name {
                return send(name, .ack(.init(unit: m.unit, epoch: m.epoch, seqs: [m.seq])), now: now)
            }
            log.debug("refused result \(m.unit)@\(m.epoch)#\(m.seq) from \(name): \(problem)")
            return send(name, .cancel(.init(unit: m.unit, epoch: m.epoch, reason: problem)), now: now)
        }
        if pending.isEmpty { pendingSince = now }
        pending.append(PendingResult(peer: peer, worker: name, message: m))
        return pending.count >= config.coordinator.commitBatch ? flush(now: now) : []
    }

    /// Commits buffered results in one transaction, then acknowledges them (ACK only after commit).
    @discardableResult
    public func flush(now: Double = wallClock()) -> [Outgoing] {
        guard !pending.isEmpty else { return [] }
        let batch = pending
        pending = []; pendingSince = nil
        var acks: [String: (peer: [UInt8], unit: String, epoch: Int, seqs: [Int])] = [:]
        var added: [String: Int] = [:]
        do {
            try store.db.transaction {
                for p in batch {
                    let m = p.message
                    if try store.insertSample(unit: m.unit, epoch: m.epoch, seq: m.seq, worker: p.worker, sample: m.sample, now: now) {
                        added[m.unit, default: 0] += 1
                    }
                    let key = "\(p.worker)|\(m.unit)|\(m.epoch)"
                    acks[key, default: (p.peer, m.unit, m.epoch, [])].seqs.append(m.seq)
                }
            }
        } catch {
            log.error("cannot commit \(batch.count) results: \(error); they will be replayed from the workers' journals")
            return []
        }
        for (unit, n) in added {
            guard var r = records[unit] else { continue }
            r.stored += n
            if r.state == .running { r.leaseExpires = now + leaseTTL(r.spec) }
            records[unit] = r
            samplesCommitted += n
        }
        var out: [Outgoing] = []
        for (key, a) in acks {
            let name = String(key.split(separator: "|").first ?? "")
            let peer = workers[name]?.peer ?? a.peer
            workers[name]?.lastSent = now
            out.append(Outgoing(peer: peer, message: .ack(.init(unit: a.unit, epoch: a.epoch, seqs: a.seqs))))
        }
        return out
    }

    func finish(_ name: String, peer: [UInt8], _ f: FinishMessage, now: Double) -> [Outgoing] {
        var out = flush(now: now)
        if let problem = leaseProblem(f.unit, epoch: f.epoch, worker: name) {
            if let r = records[f.unit], r.epoch == f.epoch, r.worker == name, r.state == .done || r.state == .failed || r.state == .pending {
                return out + send(name, .ack(.init(unit: f.unit, epoch: f.epoch, seqs: [f.seq])), now: now)
            }
            return out + send(name, .cancel(.init(unit: f.unit, epoch: f.epoch, reason: problem)), now: now)
        }
        guard var r = records[f.unit] else { return out }
        switch f.outcome {
        case .done:
            if r.stored < f.sampleCount {
                out += fail(f.unit, epoch: f.epoch, failure: .internalError,
                            message: "FINISH claims \(f.sampleCount) samples but \(r.stored) are stored", now: now)
            } else {
                r.state = .done; r.finishedAt = now; r.sampleTotal = f.sampleCount; r.summary = f.summary
                r.leaseExpires = nil; r.failureClass = nil; r.failureMessage = nil
                do {
                    try store.db.transaction {
                        if let a = f.artifact { try store.saveArtifact(unit: f.unit, a, now: now) }
                        if let values = f.analysis {
                            try store.saveAnalysisRows(values.map {
                                AnalysisRow(model: r.spec.model.name, method: $0.method, metric: $0.metric, k: $0.k,
                                            position: $0.position, value: $0.value ?? .nan, unitId: f.unit)
                            }, now: now)
                        }
                        try store.save(r)
                        try store.attemptEnded(unit: f.unit, epoch: f.epoch, outcome: "done", failure: nil, message: nil, now: now)
                    }
                } catch {
                    log.error("cannot record the end of \(r.spec.slot): \(error); the worker will resend FINISH")
                    return out
                }
                records[f.unit] = r
                if let a = f.artifact { artifacts[f.unit] = a; artifactHosts[f.unit] = a.host }
                log.info("done \(r.spec.slot) on \(name) (\(r.stored) samples)")
            }
        case .failed:
            out += fail(f.unit, epoch: f.epoch, failure: f.failure ?? .internalError, message: f.message ?? "no message", now: now)
        }
        if workers[name]?.unit == f.unit { workers[name]?.unit = nil; workers[name]?.state = .idle }
        return out + send(name, .ack(.init(unit: f.unit, epoch: f.epoch, seqs: [f.seq])), now: now)
    }

    /// Ends the current lease of `unit` with a failure: requeue with backoff while the class's
    /// retry budget lasts, otherwise mark the unit failed. Tells the lease holder to stop.
    func fail(_ unit: String, epoch: Int, failure: FailureClass, message: String, now: Double) -> [Outgoing] {
        guard var r = records[unit], r.epoch == epoch, r.state == .running else { return [] }
        let holder = r.worker
        let n = (r.classAttempts[failure.rawValue] ?? 0) + 1
        r.classAttempts[failure.rawValue] = n
        r.failureClass = failure; r.failureMessage = message; r.leaseExpires = nil
        if n > config.retry.budget(for: failure) {
            r.state = .failed; r.finishedAt = now
            log.error("failed \(r.spec.slot): \(failure.rawValue): \(message) (no retries left)")
        } else {
            r.state = .pending
            let backoff = min(config.retry.backoffMaxSeconds, config.retry.backoffInitialSeconds * Double(1 << min(n - 1, 20)))
            r.retryAfter = now + (failure == .lostWorker ? 0 : backoff)
            log.warning("retrying \(r.spec.slot) after \(failure.rawValue) (\(n)/\(config.retry.budget(for: failure))): \(message)")
        }
        do {
            try store.db.transaction {
                try store.save(r)
                try store.attemptEnded(unit: unit, epoch: epoch, outcome: "failed", failure: failure, message: message, now: now)
                try store.event("unit_failed", unit: unit, worker: holder, "\(failure.rawValue): \(message)", now: now)
            }
        } catch { log.error("cannot record failure of \(r.spec.slot): \(error)") }
        records[unit] = r
        guard let holder, var w = workers[holder], w.unit == unit else { return [] }
        w.unit = nil; if w.state == .busy { w.state = .idle }
        workers[holder] = w
        return send(holder, .cancel(.init(unit: unit, epoch: epoch, reason: "\(failure.rawValue): \(message)")), now: now)
    }

    /// Returns a leased unit to the queue without counting a failure (a draining worker hands it back).
    func release(_ unit: String, reason: String, now: Double) -> [Outgoing] {
        guard var r = records[unit], r.state == .running else { return [] }
        let epoch = r.epoch
        r.state = .pending; r.worker = nil; r.leaseExpires = nil; r.retryAfter = now
        persist(r)
        try? store.attemptEnded(unit: unit, epoch: epoch, outcome: "released", failure: nil, message: reason, now: now)
        return []
    }

    /// Periodic work: commit due results, expire silent workers and leases, heartbeat quiet peers.
    public func tick(now: Double = wallClock()) -> [Outgoing] {
        var out: [Outgoing] = []
        if let since = pendingSince, (now - since) * 1000 >= Double(config.coordinator.commitIntervalMs) {
            out += flush(now: now)
        }
        for (name, w) in workers where w.state != .lost && now - w.lastSeen > transportExpiry {
            workers[name]?.state = .lost
            peers[w.peer] = nil
            log.warning("worker \(name) silent for \(Int(now - w.lastSeen)) s: presumed lost (its lease runs until it expires)")
            event("worker_lost", worker: name, "silent for \(Int(now - w.lastSeen)) s", now: now)
            try? store.saveWorker(name: name, incarnation: w.incarnation, capabilities: w.capabilities, state: "lost",
                                  serving: w.serving, unit: w.unit, now: now)
        }
        let expired = records.values.filter { $0.state == .running && ($0.leaseExpires ?? .infinity) < now }
        if !expired.isEmpty { out += flush(now: now) }
        for r in expired {
            out += fail(r.spec.id, epoch: r.epoch, failure: .lostWorker,
                        message: "lease expired: no progress from \(r.worker ?? "?") for \(Int(leaseTTL(r.spec))) s", now: now)
        }
        out += recompressLostArtifacts(now: now)
        let interval = Double(config.heartbeat.intervalMs) / 1000
        for (name, w) in workers where w.state != .lost && now - w.lastSent >= interval {
            out += send(name, .heartbeat, now: now)
        }
        return out
    }

    /// Forgets a worker whose routing id became unreachable (ROUTER_MANDATORY send failure).
    public func peerUnreachable(_ peer: [UInt8], now: Double = wallClock()) {
        guard let name = peers[peer] else { return }
        peers[peer] = nil
        workers[name]?.state = .lost
        log.warning("worker \(name) unreachable; presumed lost")
    }
}
