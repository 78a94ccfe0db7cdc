import CZeroMQ

/// Watches a socket's connection events (handshake failures, disconnects) through `zmq_socket_monitor`.
/// Owned by the same thread as the socket it watches.
public final class SocketMonitor: @unchecked Sendable {
    /// One event: the libzmq event code and its value (for auth failures, the ZAP status code).
    public struct Event: Sendable, Equatable {
        public var code: Int32
        public var value: UInt32
        public var isAuthFailure: Bool { code == 0x4000 }   // ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        public var isHandshakeFailure: Bool { code == 0x0800 || code == 0x4000 }
        public var isConnected: Bool { code == ZMQ_EVENT_CONNECTED }
        public var isHandshakeSucceeded: Bool { code == 0x1000 }   // ZMQ_EVENT_HANDSHAKE_SUCCEEDED
        public var isDisconnected: Bool { code == ZMQ_EVENT_DISCONNECTED }
    }

    public let pair: ZMQSocket

    public init(context: ZMQContext, watching socket: ZMQSocket, name: String) throws {
        let endpoint = "inproc://monitor-\(name)"
        guard zmq_socket_monitor(socket.handle, endpoint, ZMQ_EVENT_ALL) == 0 else {
            throw ZMQError.last("zmq_socket_monitor")
        }
        pair = try ZMQSocket(context, .pair)
        try pair.connect(endpoint)
    }

    /// Events waiting now (non-blocking).
    public func drain() -> [Event] {
        var out: [Event] = []
        while let m = try? pair.receive(), let f = m.frames.first, f.count >= 6 {
            let code = Int32(f[0]) | Int32(f[1]) << 8
            let value = UInt32(f[2]) | UInt32(f[3]) << 8 | UInt32(f[4]) << 16 | UInt32(f[5]) << 24
            out.append(Event(code: code, value: value))
        }
        return out
    }

    public func close() { pair.close() }
}
