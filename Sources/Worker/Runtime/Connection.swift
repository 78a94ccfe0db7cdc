import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif
import Logging
import Protocol

/// One DEALER connection to the coordinator, recreated on every reconnect (Paranoid Pirate:
/// a new socket drops queued heartbeats; results are safe in the journal, not in the socket).
final class Connection {
    let socket: ZMQSocket
    let monitor: SocketMonitor
    var queue: [WireMessage] = []
    var registered = false
    var askOutstanding = false
    var nextAskAt = 0.0
    var needsReconnect = false
    var lastReceived: Double
    var lastSent: Double
    private static let counter = Locked(0)

    init(context: ZMQContext, options: WorkerOptions, config: ClusterConfig, now: Double) throws {
        socket = try ZMQSocket(context, .dealer)
        try socket.set(ZMQ_IMMEDIATE, Int32(1))
        try socket.set(ZMQ_MAXMSGSIZE, Int64(config.coordinator.maxMessageBytes))
        try socket.set(ZMQ_SNDHWM, Int32(100_000))
        if let curve = options.curve { try socket.makeCurveClient(serverKey: curve.serverKey, keys: curve.keys) }
        let n = Connection.counter.withLock { $0 += 1; return $0 }
        monitor = try SocketMonitor(context: context, watching: socket, name: "\(options.identity.name)-\(getpid())-\(n)")
        try socket.connect(options.endpoint)
        lastReceived = now; lastSent = now
    }

    /// Sends queued messages in order until the socket would block (not connected yet, or full).
    func flush(codec: WireCodec, log: Logger) throws {
        var sent = 0
        defer { queue.removeFirst(sent) }
        for m in queue {
            let frames: [[UInt8]]
            do { frames = try codec.encode(m) } catch {
                log.error("cannot send \(m.command): \(error)")
                sent += 1
                continue
            }
            guard try socket.send(frames) else { return }
            sent += 1
            lastSent = monotonicClock()
            if case .ready = m { registered = true }
        }
    }

    /// Best-effort send before closing (LEAVING): a short linger lets it leave the socket.
    func sendNow(_ m: WireMessage, codec: WireCodec, linger: Bool) {
        if linger { try? socket.set(ZMQ_LINGER, Int32(1000)) }
        if let frames = try? codec.encode(m) { _ = try? socket.send(frames) }
    }

    func close() {
        monitor.close()
        socket.close()
    }
}
