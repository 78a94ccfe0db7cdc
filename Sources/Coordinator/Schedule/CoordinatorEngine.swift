import Logging
import Protocol

/// A message for one worker, addressed by its ZeroMQ routing id.
public struct Outgoing: Sendable {
    public var peer: [UInt8]
    public var message: WireMessage
}

/// The coordinator's logic, free of sockets: messages in, messages out, state in SQLite.
/// One thread owns it (the thread that owns the ROUTER socket).
///
/// Units follow the state machine of docs/PROTOCOL.md: pending → running (lease, epoch) →
/// done | pending (retry, new epoch) | failed (retry budget of the failure class spent).
public final class CoordinatorEngine: @unchecked Sendable {
    public let store: StateStore
    public let sweep: String
    public let config: ClusterConfig
    var log: Logger
    var records: [String: UnitRecord] = [:]
    var order: [String] = []
    var dependents: [String: [String]] = [:]
    var artifactHosts: [String: String] = [:]
    var artifacts: [String: ArtifactInfo] = [:]
    /// Host → last time a live (idle or busy) worker of it was known; see `recompressLostArtifacts`.
    var hostSeen: [String: Double] = [:]
    public internal(set) var workers: [String: WorkerSession] = [:]
    var peers: [[UInt8]: String] = [:]
    var pending: [PendingResult] = []
    var pendingSince: Double?
    let scheduler: Scheduler
    let startedAt: Double
    /// Work already finished when this coordinator started (for the ETA); set at the end of `init`.
    var costDoneAtStart = 0.0
    /// Samples committed since start, for the live rate.
    public internal(set) var samplesCommitted = 0

    struct PendingResult { var peer: [UInt8]; var worker: String; var message: ResultMessage }

    /// Loads the sweep's units (already registered with `store.registerPlan`) into memory.
    /// Leases that were running when the coordinator stopped get a fresh TTL so their workers can reconnect.
    public init(store: StateStore, sweep: String, units: [UnitSpec], config: ClusterConfig,
                logger: Logger = Logger(label: "acbench.coordinator"), now: Double = wallClock()) throws {
        self.store = store; self.sweep = sweep; self.config = config; self.log = logger; startedAt = now
        scheduler = Scheduler(artifactsShared: config.paths.artifactsShared)
        let stored = try store.records(ids: units.map(\.id))
        try store.db.transaction {
            for u in units {
                guard var r = stored[u.id] else { continue }
                if r.state == .running {
                    r.leaseExpires = now + leaseTTL(r.spec)
                    try store.save(r)
                }
                records[u.id] = r
                order.append(u.id)
                for d in u.dependsOn { dependents[d, default: []].append(u.id) }
                if u.kind == .compress, let a = try store.artifact(unit: u.id) {
                    artifacts[u.id] = a
                    artifactHosts[u.id] = a.host
                }
            }
        }
        costDoneAtStart = Self.costFinished(records.values)
    }

    func leaseTTL(_ spec: UnitSpec) -> Double {
        spec.kind == .compress ? config.lease.compressTTLSeconds : config.lease.evalTTLSeconds
    }

    var transportExpiry: Double { Double(config.heartbeat.intervalMs * config.heartbeat.liveness) / 1000 }

    // MARK: dispatch

    /// Handles one decoded message from `peer` (its routing id); `userId` is its CURVE name, if any.
    public func handle(peer: [UInt8], userId: String?, message: WireMessage, now: Double = wallClock()) -> [Outgoing] {
        if case .ready(let r) = message { return ready(peer: peer, userId: userId, r, now: now) }
        guard let name = peers[peer], var w = workers[name] else {
            if case .heartbeat = message {} else {
                log.warning("message \(message.command) from an unregistered peer; asking it to send READY")
            }
            return [Outgoing(peer: peer, message: .disconnect(.init(reason: "not registered: send READY first", fatal: false)))]
        }
        w.lastSeen = now
        if w.state == .lost { w.state = w.unit == nil ? .idle : .busy }
        workers[name] = w
        let out: [Outgoing]
        switch message {
        case .ready, .heartbeat: out = []
        case .ask(let a): out = ask(name, a, now: now)
        case .progress(let p): out = progress(name, p, now: now)
        case .result(let r): out = result(name, peer: peer, r, now: now)
        case .finish(let f): out = finish(name, peer: peer, f, now: now)
        case .leaving(let l): out = leaving(name, l, now: now)
        case .assign, .noWork, .ack, .cancel, .disconnect:
            log.warning("worker \(name) sent \(message.command), which only the coordinator sends; dropped")
            out = []
        }
        persistWorker(name, now: now)
        return out
    }

    /// Writes the worker's row (state, unit, last seen) for `acbench status` when its state or unit
    /// changed, or `workerRowRefreshSeconds` after the last write; every write is an fsync, so
    /// heartbeats alone do not write each time.
    func persistWorker(_ name: String, now: Double, force: Bool = false) {
        guard var w = workers[name] else { return }
        let row = WorkerSession.SavedRow(state: w.state.rawValue, unit: w.unit, serving: w.serving)
        guard force || w.saved != row || now - w.savedAt >= Self.workerRowRefreshSeconds else { return }
        do {
            try store.saveWorker(name: w.name, incarnation: w.incarnation, capabilities: w.capabilities,
                                 state: row.state, serving: row.serving, unit: row.unit, now: now)
            w.saved = row; w.savedAt = now
            workers[name] = w
        } catch { log.error("cannot save worker \(w.name): \(error)") }
    }

    static let workerRowRefreshSeconds = 30.0

    func send(_ name: String, _ m: WireMessage, now: Double) -> [Outgoing] {
        guard var w = workers[name] else { return [] }
        w.lastSent = now
        workers[name] = w
        return [Outgoing(peer: w.peer, message: m)]
    }

    func persist(_ r: UnitRecord) {
        records[r.spec.id] = r
        do { try store.save(r) } catch { log.error("cannot save unit \(r.spec.slot): \(error)") }
    }

    func event(_ kind: String, unit: String? = nil, worker: String? = nil, _ detail: String, now: Double) {
        do { try store.event(kind, unit: unit, worker: worker, detail, now: now) } catch { log.error("cannot log event: \(error)") }
    }

    // MARK: READY

    func ready(peer: [UInt8], userId: String?, _ m: ReadyMessage, now: Double) -> [Outgoing] {
        func refuse(_ reason: String) -> [Outgoing] {
            log.error("refusing worker \(m.worker): \(reason)")
            return [Outgoing(peer: peer, message: .disconnect(.init(reason: reason, fatal: true)))]
        }
        guard WireVersion.supportedMinors.contains(m.minor) else {
            return refuse("protocol minor version \(m.minor) not supported (coordinator speaks \(WireVersion.supportedMinors))")
        }
        if config.curve != nil && userId != m.worker {
            return refuse("worker name '\(m.worker)' does not match the name its CURVE key is listed under ('\(userId ?? "none")')")
        }
        // Commit what is pending and keep its ACKs: other workers wait for them before FINISH.
        var out: [Outgoing] = flush(now: now)
        let previous = workers[m.worker]
        if let previous, previous.peer != peer { peers[previous.peer] = nil }
        var w = WorkerSession(name: m.worker, peer: peer, incarnation: m.incarnation, capabilities: m.capabilities, now: now)
        w.serving = m.serving
        peers[peer] = m.worker
        // Reconcile leases: keep those the worker still runs, requeue those it lost, cancel unknown ones.
        let claimed = Set(m.running.map { "\($0.unit)@\($0.epoch)" })
        for (id, r) in records where r.state == .running && r.worker == m.worker {
            if claimed.contains("\(id)@\(r.epoch)") {
                w.unit = id; w.state = .busy
            } else {
                out += fail(id, epoch: r.epoch, failure: .lostWorker,
                            message: "worker \(m.worker) restarted (incarnation \(m.incarnation)) without this unit", now: now)
            }
        }
        for u in m.running {
            let r = records[u.unit]
            if r == nil || r!.state != .running || r!.epoch != u.epoch || r!.worker != m.worker {
                out.append(Outgoing(peer: peer, message: .cancel(.init(unit: u.unit, epoch: u.epoch,
                                                                         reason: "lease not held (unit is \(r?.state.rawValue ?? "unknown"))"))))
            }
        }
        workers[m.worker] = w
        log.info("worker \(m.worker) ready on \(m.capabilities.host) (\(m.capabilities.device), \(Int(m.capabilities.memoryGiB.rounded())) GiB)")
        event("worker_ready", worker: m.worker, "incarnation \(m.incarnation), host \(m.capabilities.host)", now: now)
        persistWorker(m.worker, now: now, force: true)
        return out
    }

    // MARK: ASK / PROGRESS / LEAVING

    func ask(_ name: String, _ a: AskMessage, now: Double) -> [Outgoing] {
        guard var w = workers[name] else { return [] }
        w.serving = a.serving
        w.artifacts.formUnion(a.artifacts)
        if w.state == .leaving { workers[name] = w; return [] }
        if let held = w.unit, let r = records[held], r.state == .running, r.worker == name {
            // A worker that asks while holding a lease has dropped that unit.
            workers[name] = w
            return fail(held, epoch: r.epoch, failure: .internalError, message: "worker asked for work while holding the lease", now: now) + ask(name, a, now: now)
        }
        w.unit = nil; w.state = .idle
        workers[name] = w
        let view = Scheduler.View(records: records, order: order, dependents: dependents, artifactHosts: artifactHosts)
        guard let id = scheduler.pick(for: w, in: view, now: now) else {
            return send(name, .noWork(.init(retryAfterMs: max(50, config.heartbeat.intervalMs / 2), sweepDone: isSweepFinished)), now: now)
        }
        return assign(id, to: name, now: now)
    }

    func assign(_ id: String, to name: String, now: Double) -> [Outgoing] {
        guard var r = records[id], var w = workers[name] else { return [] }
        r.state = .running; r.epoch += 1; r.attempts += 1; r.worker = name
        r.leaseExpires = now + leaseTTL(r.spec); r.startedAt = r.startedAt ?? now
        let indices: [Int]
        do {
            indices = try store.storedIndices(unit: id)
            try store.db.transaction {
                try store.save(r)
                try store.attemptStarted(unit: id, epoch: r.epoch, worker: name, now: now)
            }
        } catch {
            log.error("cannot lease \(r.spec.slot): \(error)")
            return send(name, .noWork(.init(retryAfterMs: 1000, sweepDone: false)), now: now)
        }
        records[id] = r
        w.unit = id; w.state = .busy; w.done = indices.count; w.total = r.sampleTotal ?? 0; w.note = ""
        workers[name] = w
        let oom = r.classAttempts[FailureClass.outOfMemory.rawValue] ?? 0
        var hints = RetryHints()
        if oom > 0 {
            hints.gpuMemoryUtilization = max(0.5, 0.9 - 0.1 * Double(oom))
            if let g = r.spec.generation { hints.maxModelLen = max(1024, g.maxModelLen >> oom) }
        }
        let msg = AssignMessage(unit: r.spec, epoch: r.epoch, attempt: r.attempts, leaseSeconds: leaseTTL(r.spec),
                                completed: Self.ranges(indices), artifact: r.spec.dependsOn.first.flatMap { artifacts[$0] },
                                hints: hints)
        log.info("assign \(r.spec.slot) → \(name) (epoch \(r.epoch), \(indices.count) samples already stored)")
        return send(name, .assign(msg), now: now)
    }

    /// Sorted indices as closed ranges `[lo, hi]`.
    static func ranges(_ sorted: [Int]) -> [[Int]] {
        var out: [[Int]] = []
        for i in sorted {
            if let last = out.last, last[1] + 1 == i { out[out.count - 1][1] = i } else { out.append([i, i]) }
        }
        return out
    }

    func progress(_ name: String, _ p: ProgressMessage, now: Double) -> [Outgoing] {
        // A progress report that crossed this lease's FINISH on the wire needs no answer.
        if let r = records[p.unit], r.state == .done, r.epoch == p.epoch, r.worker == name { return [] }
        guard var r = records[p.unit], r.state == .running, r.epoch == p.epoch, r.worker == name else {
            return send(name, .cancel(.init(unit: p.unit, epoch: p.epoch, reason: "lease not held")), now: now)
        }
        r.leaseExpires = now + leaseTTL(r.spec)
        if p.total > 0 { r.sampleTotal = p.total }
        records[p.unit] = r
        workers[name]?.done = p.done; workers[name]?.total = p.total; workers[name]?.note = p.note
        return []
    }

    func leaving(_ name: String, _ l: LeavingMessage, now: Double) -> [Outgoing] {
        var out: [Outgoing] = flush(now: now)
        if let id = workers[name]?.unit, let r = records[id], r.state == .running, r.worker == name {
            out += release(id, reason: "worker \(name) is leaving: \(l.reason)", now: now)
        }
        workers[name]?.state = .leaving; workers[name]?.unit = nil
        log.info("worker \(name) leaving: \(l.reason)")
        event("worker_leaving", worker: name, l.reason, now: now)
        return out
    }

    /// Tells every connected worker that the sweep is finished (they leave).
    public func announceSweepDone(now: Double) -> [Outgoing] {
        workers.values.filter { $0.state != .lost && $0.state != .leaving }
            .flatMap { send($0.name, .noWork(.init(retryAfterMs: 0, sweepDone: true)), now: now) }
    }

    /// Workers connected and not leaving.
    public var activeWorkers: Int { workers.values.filter { $0.state != .lost && $0.state != .leaving }.count }

    /// True when every unit is done or failed.
    public var isSweepFinished: Bool { records.values.allSatisfy { $0.state == .done || $0.state == .failed } }
}
