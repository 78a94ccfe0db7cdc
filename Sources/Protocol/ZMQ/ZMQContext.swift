import CZeroMQ

/// A libzmq context. Thread-safe (as libzmq contexts are); sockets made from it are not.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() {
        guard let h = zmq_ctx_new() else { fatalError("zmq_ctx_new failed: out of memory") }
        handle = h
    }

    /// Terminates the context. Every socket must be closed first (all set `ZMQ_LINGER` 0, so this never hangs).
    public func terminate() { _ = zmq_ctx_term(handle) }

    /// The linked libzmq version, e.g. `4.3.4`.
    public static var version: String {
        var a: Int32 = 0, b: Int32 = 0, c: Int32 = 0
        zmq_version(&a, &b, &c)
        return "\(a).\(b).\(c)"
    }
}
