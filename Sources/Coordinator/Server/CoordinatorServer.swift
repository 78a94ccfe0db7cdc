import CZeroMQ
import Logging
import Protocol

/// Binds the coordinator's ROUTER and runs the engine on the calling thread until `stop()`.
/// The thread that calls `run()` owns the socket and the engine (one thread per socket).
public final class CoordinatorServer: @unchecked Sendable {
    public let engine: CoordinatorEngine
    let config: ClusterConfig
    let codec: WireCodec
    var log: Logger
    let stopping = Locked(false)
    /// The endpoint actually bound (after `*` ports are resolved), once `run()` has bound.
    public let boundEndpoint = Locked<String?>(nil)
    /// Called about twice a second from the server thread (the live progress view).
    public var onTick: (@Sendable (CoordinatorEngine) -> Void)?
    /// Exit when every unit is done or failed.
    public var exitWhenFinished = true
    /// What the HTTP status endpoint (`[coordinator] status_port`) serves, refreshed every second.
    public let statusBoard = StatusBoard()
    /// The HTTP status server while `run()` serves, when a status port is configured.
    public let statusServer = Locked<StatusHTTPServer?>(nil)

    public init(engine: CoordinatorEngine, config: ClusterConfig, logger: Logger = Logger(label: "acbench.coordinator")) {
        self.engine = engine; self.config = config; self.log = logger
        codec = WireCodec(maxBytes: config.coordinator.maxMessageBytes)
    }

    /// Asks `run()` to return after committing what it holds (safe from signal-handling threads).
    public func stop() { stopping.withLock { $0 = true } }

    /// Serves until `stop()` or, with `exitWhenFinished`, until the sweep is finished.
    public func run() throws {
        let context = ZMQContext()
        var zap: ZAPHandler?
        let router = try ZMQSocket(context, .router)
        defer { router.close(); zap?.stop(); context.terminate() }
        try router.set(ZMQ_ROUTER_MANDATORY, Int32(1))
        try router.set(ZMQ_MAXMSGSIZE, Int64(config.coordinator.maxMessageBytes))
        try router.set(ZMQ_SNDHWM, Int32(10_000))
        try router.set(ZMQ_RCVHWM, Int32(100_000))
        if let curve = config.curve {
            guard let file = curve.serverSecretFile, let secret = Files.readText(file)?.trimmingWhitespace(), !secret.isEmpty else {
                throw CoordinatorError.config("[curve] needs server_secret_file with the coordinator's secret key")
            }
            let handler = ZAPHandler(context: context, allowed: curve.workers) { [log] key, address in
                log.warning("refused a worker with an unlisted key \(key) from \(address)")
            }
            try handler.start()
            zap = handler
            try router.makeCurveServer(secretKey: secret)
        } else if !Self.isLoopback(config.coordinator.bind) && !config.coordinator.allowPlaintext {
            throw CoordinatorError.config("refusing to bind \(config.coordinator.bind) without CURVE keys: add [curve] or set coordinator.allow_plaintext = true")
        }
        try router.bind(config.coordinator.bind)
        boundEndpoint.withLock { $0 = router.lastEndpoint }
        log.info("coordinator listening on \(router.lastEndpoint)\(config.curve != nil ? " (CURVE)" : "")")

        try startStatusServer()
        defer { statusServer.withLock { $0?.stop(); $0 = nil } }

        let pollMs = max(1, min(config.coordinator.commitIntervalMs, config.heartbeat.intervalMs / 2))
        var lastView = 0.0, lastStatus = 0.0
        var finishedAt: Double?
        while !stopping.withLock({ $0 }) {
            if ZMQPoll.readable([.socket(router)], timeoutMs: pollMs)[0] {
                var n = 0
                while n < 10_000, let m = try router.receive() {
                    n += 1
                    deliver(engine.handle(raw: m, codec: codec, log: log), on: router)
                }
                // The inbound queue ran dry: commit now rather than wait for the batch timer, so a
                // lone worker is not held up (under load the queue rarely empties and batches fill).
                deliver(engine.flush(), on: router)
            }
            let now = wallClock()
            deliver(engine.tick(now: now), on: router)
            if now - lastView >= 0.5 { lastView = now; onTick?(engine) }
            if statusPort != nil && now - lastStatus >= 1 { lastStatus = now; statusBoard.publish(engine, now: now) }
            if exitWhenFinished && engine.isSweepFinished && engine.pendingCount == 0 {
                if finishedAt == nil {
                    finishedAt = now
                    log.info("sweep finished; telling the workers")
                    deliver(engine.announceSweepDone(now: now), on: router)
                }
                // Linger briefly so every worker hears it (they answer with LEAVING).
                if engine.activeWorkers == 0 || now - finishedAt! > Double(config.heartbeat.intervalMs * 2) / 1000 + 0.5 { break }
            }
        }
        engine.flush()
        onTick?(engine)
    }

    var statusPort: Int? { config.coordinator.statusPort }

    /// Starts the HTTP status server on `bind`'s host when `status_port` is set.
    func startStatusServer() throws {
        guard let port = statusPort else { return }
        statusBoard.publish(engine)
        let host = TCPEndpoint(config.coordinator.bind)?.host ?? "127.0.0.1"
        let server = try StatusHTTPServer(board: statusBoard, host: host, port: port)
        statusServer.withLock { $0 = server }
        log.info("status page on http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/ (/status, /metrics)")
    }

    func deliver(_ out: [Outgoing], on router: ZMQSocket) {
        for o in out {
            do {
                let frames = try codec.encode(o.message)
                try router.send([o.peer] + frames)
            } catch let e as ZMQError where e.errno == EHOSTUNREACH {
                engine.peerUnreachable(o.peer)
            } catch {
                log.error("cannot send \(o.message.command): \(error)")
            }
        }
    }

    static func isLoopback(_ endpoint: String) -> Bool {
        endpoint.hasPrefix("tcp://127.") || endpoint.hasPrefix("tcp://localhost:") || endpoint.hasPrefix("tcp://[::1]")
            || endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://")
    }
}

extension CoordinatorEngine {
    /// Decodes a raw ROUTER message (routing id + frames) and handles it; malformed input is logged and dropped.
    func handle(raw m: ZMQSocket.Message, codec: WireCodec, log: Logger) -> [Outgoing] {
        guard m.frames.count >= 2, let peer = m.frames.first else { return [] }
        do {
            let message = try codec.decode(Array(m.frames.dropFirst()))
            return handle(peer: peer, userId: m.userId, message: message)
        } catch let e as WireError {
            let who = peers[peer] ?? "unregistered peer \(Digest.hex(peer))"
            log.warning("dropped a malformed message from \(who): \(e)")
            if case .versionMismatch = e {
                return [Outgoing(peer: peer, message: .disconnect(.init(reason: e.description, fatal: true)))]
            }
            return []
        } catch {
            log.warning("dropped a message: \(error)")
            return []
        }
    }

    /// Results received but not yet committed.
    public var pendingCount: Int { pending.count }
}

/// A coordinator that cannot start, with the reason a user can act on.
public enum CoordinatorError: Error, CustomStringConvertible {
    case config(String)
    public var description: String { switch self { case .config(let s): return s } }
}
