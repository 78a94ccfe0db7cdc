import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A ZAP (RFC 27) handler that accepts only CURVE clients whose public key is on an allow-list,
/// and gives each the worker name it is listed under as its User-Id. It must run in the same
/// context as the CURVE server socket and start before that socket binds (cluster.md §7.6).
public final class ZAPHandler: @unchecked Sendable {
    private let context: ZMQContext
    private let allowed: [String: String]   // Z85 public key → worker name
    private let running = Locked(true)
    private let stopped = Locked(false)
    /// Called for each refused key (Z85) with the peer address, for logging.
    private let onRefuse: @Sendable (String, String) -> Void

    /// `allowed` maps a worker name to its Z85 public key.
    public init(context: ZMQContext, allowed workers: [String: String],
                onRefuse: @escaping @Sendable (String, String) -> Void = { _, _ in }) {
        self.context = context
        var byKey: [String: String] = [:]
        for (name, key) in workers { byKey[key] = name }
        self.allowed = byKey
        self.onRefuse = onRefuse
    }

    /// Binds `inproc://zeromq.zap.01` and serves requests on a dedicated thread until `stop()`.
    public func start() throws {
        let socket = try ZMQSocket(context, .rep)
        try socket.bind("inproc://zeromq.zap.01")
        startOSThread(name: "zap") { [self] in
            while running.withLock({ $0 }) {
                guard ZMQPoll.readable([.socket(socket)], timeoutMs: 100)[0],
                      let request = try? socket.receive() else { continue }
                _ = try? socket.send(reply(to: request.frames))
            }
            socket.close()
            stopped.withLock { $0 = true }
        }
    }

    /// Stops the handler thread and waits until its socket is closed.
    public func stop() {
        running.withLock { $0 = false }
        while !stopped.withLock({ $0 }) { usleep(5_000) }
    }

    /// Frames: version, request id, domain, address, identity, mechanism, credentials...
    func reply(to f: [[UInt8]]) -> [[UInt8]] {
        func text(_ s: String) -> [UInt8] { Array(s.utf8) }
        guard f.count >= 6 else { return [text("1.0"), [], text("500"), text("malformed ZAP request"), [], []] }
        let requestId = f[1]
        let address = String(decoding: f[3], as: UTF8.self)
        let mechanism = String(decoding: f[5], as: UTF8.self)
        guard mechanism == "CURVE", f.count >= 7, let key = CurveKeyPair.z85(f[6]) else {
            onRefuse("(mechanism \(mechanism))", address)
            return [text("1.0"), requestId, text("400"), text("CURVE required"), [], []]
        }
        guard let name = allowed[key] else {
            onRefuse(key, address)
            return [text("1.0"), requestId, text("400"), text("public key not on the allow-list"), [], []]
        }
        return [text("1.0"), requestId, text("200"), text("OK"), text(name), []]
    }
}
