import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Protocol

/// One worker: a DEALER owned by the thread that calls `run()` (heartbeats, leases, journal
/// replay, reconnects — never blocked by unit work), and units run by executors as Swift tasks.
///
/// Worker states (docs/PROTOCOL.md): disconnected → registering (READY sent, journal replayed) →
/// idle (ASK outstanding) → running (lease held) → finishing (FINISH journaled, awaiting ACK) → idle.
public final class WorkerRuntime: @unchecked Sendable {
    public let options: WorkerOptions
    let config: ClusterConfig
    let registry: ExecutorRegistry
    var log: Logger
    let journal: Journal
    let shared = Locked(RunState())
    let outbox = Locked<[WireMessage]>([])
    let wake = WakeupFD()
    let stopRequest = Locked<(stop: Bool, drain: Bool)>((false, false))
    let codec: WireCodec
    let incarnation: String

    public init(options: WorkerOptions, config: ClusterConfig, executors: ExecutorRegistry,
                logger: Logger = Logger(label: "acbench.worker")) throws {
        self.options = options; self.config = config; self.registry = executors; self.log = logger
        journal = try Journal(path: options.journalPath)
        codec = WireCodec(maxBytes: config.coordinator.maxMessageBytes)
        incarnation = String(Digest.sha256Hex("\(options.identity.name)-\(getpid())-\(wallClock())").prefix(12))
        shared.withLock { $0.artifacts = options.capabilities.artifacts }
    }

    /// Asks the worker to stop: with `drain`, after the current unit ends (SIGTERM); otherwise now.
    public func stop(drain: Bool) {
        stopRequest.withLock { $0 = (true, drain) }
        wake.signal()
    }

    func enqueue(_ m: WireMessage) {
        outbox.withLock { $0.append(m) }
        wake.signal()
    }

    // MARK: the I/O loop

    /// Runs until the sweep is finished, `stop()` is called, or the coordinator refuses this worker.
    public func run() throws -> WorkerExit {
        let context = ZMQContext()
        defer { context.terminate() }
        let hb = config.heartbeat
        let expiry = Double(hb.intervalMs * hb.liveness) / 1000
        var backoffMs = hb.reconnectInitialMs
        var conn: Connection? = nil
        var reconnectAt = 0.0
        defer { conn?.close() }

        while true {
            let now = monotonicClock()
            let (stop, drain) = stopRequest.withLock { $0 }
            let running = shared.withLock { $0.unit != nil }
            if stop && (!drain || !running) {
                if let c = conn, c.registered { c.sendNow(.leaving(.init(reason: drain ? "drained (SIGTERM)" : "stopped")), codec: codec, linger: true) }
                return .stopped
            }
            if conn == nil {
                if now < reconnectAt { _ = ZMQPoll.readable([.fd(wake.fd)], timeoutMs: Int((reconnectAt - now) * 1000) + 1); wake.drain(); continue }
                conn = try Connection(context: context, options: options, config: config, now: now)
                conn!.queue = [.ready(readyMessage())] + journal.pending.map(\.message)
                conn!.queue += outbox.withLock { o in defer { o = [] }; return o.filter { if case .progress = $0 { return true }; return false } }
                log.info("connecting to \(options.endpoint)")
            }
            let c = conn!
            // Flush what waits to be sent.
            c.queue += outbox.withLock { o in defer { o = [] }; return o }
            try c.flush(codec: codec, log: log)
            if c.registered { sendHousekeeping(c, now: now) }

            let readable = ZMQPoll.readable([.socket(c.socket), .socket(c.monitor.pair), .fd(wake.fd)],
                                            timeoutMs: max(5, min(hb.intervalMs / 2, 100)))
            if readable[2] { wake.drain() }
            if readable[1] {
                for e in c.monitor.drain() where e.isAuthFailure {
                    return .refused("the coordinator at \(options.endpoint) refused this worker's CURVE key "
                                    + "\(options.curve?.keys.publicKey ?? "?") (ZAP status \(e.value)): add it to [curve.workers] in cluster.conf")
                }
            }
            if readable[0] {
                while let raw = try c.socket.receive() {
                    c.lastReceived = monotonicClock()
                    backoffMs = hb.reconnectInitialMs
                    let message: WireMessage
                    do { message = try codec.decode(raw.frames) } catch {
                        log.warning("dropped a malformed message from the coordinator: \(error)")
                        continue
                    }
                    if let exit = handle(message, c) { return exit }
                    if c.needsReconnect { break }
                }
            }
            if c.needsReconnect || monotonicClock() - c.lastReceived > expiry {
                if !c.needsReconnect { log.warning("coordinator silent for \(Int(expiry)) s; reconnecting in \(backoffMs) ms") }
                c.close(); conn = nil
                reconnectAt = monotonicClock() + Double(backoffMs) / 1000
                backoffMs = min(hb.reconnectMaxMs, backoffMs * 2)
            }
        }
    }

    func readyMessage() -> ReadyMessage {
        let s = shared.withLock { $0 }
        var caps = options.capabilities
        caps.artifacts = s.artifacts
        return ReadyMessage(worker: options.identity.name, incarnation: incarnation, capabilities: caps, serving: s.serving,
                            running: s.unit.map { [RunningUnit(unit: $0, epoch: s.epoch)] } ?? [])
    }

    /// ASK when idle, PROGRESS when it changed, HEARTBEAT when quiet.
    func sendHousekeeping(_ c: Connection, now: Double) {
        let (stop, _) = stopRequest.withLock { $0 }
        let s = shared.withLock { s -> RunState in let copy = s; s.progressDirty = false; return copy }
        if s.unit == nil && !c.askOutstanding && now >= c.nextAskAt && !stop {
            c.askOutstanding = true
            c.queue.append(.ask(.init(serving: s.serving, artifacts: s.artifacts)))
        }
        if let u = s.unit, s.progressDirty {
            c.queue.append(.progress(.init(unit: u, epoch: s.epoch, done: s.done, total: s.total, note: s.note)))
        }
        if c.queue.isEmpty && now - c.lastSent >= Double(config.heartbeat.intervalMs) / 1000 {
            c.queue.append(.heartbeat)
        }
        try? c.flush(codec: codec, log: log)
    }

    /// Handles one message from the coordinator; returns an exit reason when the worker must stop.
    func handle(_ m: WireMessage, _ c: Connection) -> WorkerExit? {
        switch m {
        case .heartbeat: break
        case .ack(let a):
            journal.acknowledge(unit: a.unit, epoch: a.epoch, seqs: a.seqs)
        case .noWork(let n):
            c.askOutstanding = false
            if n.sweepDone && options.exitWhenSweepDone {
                c.sendNow(.leaving(.init(reason: "sweep finished")), codec: codec, linger: true)
                return .finished
            }
            c.nextAskAt = monotonicClock() + Double(n.retryAfterMs) / 1000
        case .assign(let a):
            c.askOutstanding = false
            start(a)
        case .cancel(let x):
            journal.drop(unit: x.unit, epoch: x.epoch)
            let task: Task<Void, Never>? = shared.withLock { s in
                guard s.unit == x.unit, s.epoch == x.epoch else { return nil }
                s.cancelled = true
                return s.task
            }
            if let task { log.warning("unit \(x.unit) cancelled by the coordinator: \(x.reason)"); task.cancel() }
        case .disconnect(let d):
            if d.fatal { log.error("coordinator refused this worker: \(d.reason)"); return .refused(d.reason) }
            log.info("coordinator asks to re-register: \(d.reason)")
            c.needsReconnect = true
        case .ready, .ask, .progress, .result, .finish, .leaving:
            log.warning("coordinator sent \(m.command), which only workers send; dropped")
        }
        return nil
    }
}
