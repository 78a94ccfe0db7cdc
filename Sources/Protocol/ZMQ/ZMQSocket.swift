import CZeroMQ

/// A ZeroMQ socket. Owned by exactly one thread: create, use and close it there.
public final class ZMQSocket: @unchecked Sendable {
    /// The socket types acbench uses.
    public enum Kind: Sendable {
        case router, dealer, rep, req, pair
        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .dealer: return ZMQ_DEALER
            case .rep: return ZMQ_REP
            case .req: return ZMQ_REQ
            case .pair: return ZMQ_PAIR
            }
        }
    }

    /// A received multipart message and the ZAP user id it arrived with (CURVE-authenticated name).
    public struct Message {
        public var frames: [[UInt8]]
        public var userId: String?
    }

    public let handle: UnsafeMutableRawPointer
    private let msg: UnsafeMutablePointer<zmq_msg_t>
    private var closed = false

    public init(_ context: ZMQContext, _ kind: Kind) throws {
        guard let h = zmq_socket(context.handle, kind.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        msg = .allocate(capacity: 1)
        zmq_msg_init(msg)
        try set(ZMQ_LINGER, Int32(0))
    }

    deinit {
        close()
        zmq_msg_close(msg)
        msg.deallocate()
    }

    /// Closes the socket (idempotent).
    public func close() {
        if !closed { closed = true; zmq_close(handle) }
    }

    // MARK: options

    public func set(_ option: Int32, _ value: Int32) throws {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt(\(option))")
        }
    }

    public func set(_ option: Int32, _ value: Int64) throws {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt(\(option))")
        }
    }

    public func set(_ option: Int32, bytes: [UInt8]) throws {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    public func set(_ option: Int32, string: String) throws { try set(option, bytes: Array(string.utf8)) }

    /// The endpoint actually bound (resolves `tcp://127.0.0.1:*`).
    public var lastEndpoint: String {
        var buf = [UInt8](repeating: 0, count: 256)
        var len = buf.count
        _ = zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buf, &len)
        return String(decoding: buf.prefix(while: { $0 != 0 }), as: UTF8.self)
    }

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError.last("zmq_bind(\(endpoint))") }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError.last("zmq_connect(\(endpoint))") }
    }

    // MARK: send / receive

    /// Sends a multipart message without blocking. Returns false when it would block (no peer, full queue).
    @discardableResult
    public func send(_ frames: [[UInt8]]) throws -> Bool {
        for (i, f) in frames.enumerated() {
            let flags = (i < frames.count - 1 ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT
            let rc = f.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            if rc < 0 {
                let e = zmq_errno()
                if e == EAGAIN && i == 0 { return false }
                throw ZMQError(operation: "zmq_send", errno: e)
            }
        }
        return true
    }

    /// Receives one multipart message without blocking; nil when none is waiting.
    public func receive() throws -> Message? {
        var frames: [[UInt8]] = []
        var userId: String?
        repeat {
            if zmq_msg_recv(msg, handle, frames.isEmpty ? ZMQ_DONTWAIT : 0) < 0 {
                let e = zmq_errno()
                if e == EAGAIN && frames.isEmpty { return nil }
                throw ZMQError(operation: "zmq_msg_recv", errno: e)
            }
            frames.append(Array(UnsafeRawBufferPointer(start: zmq_msg_data(msg), count: zmq_msg_size(msg))))
            // A ROUTER prepends the routing-id frame itself, and that frame carries no connection
            // metadata: read the ZAP User-Id from the first frame that has it.
            if userId == nil, let p = zmq_msg_gets(msg, "User-Id") { userId = String(cString: p) }
        } while zmq_msg_more(msg) == 1
        return Message(frames: frames, userId: userId)
    }
}

/// Waits until one of `items` is readable or `timeoutMs` passes. Items are sockets or plain file descriptors.
public enum ZMQPoll {
    public enum Item { case socket(ZMQSocket), fd(Int32) }

    /// Returns, per item, whether it is readable.
    public static func readable(_ items: [Item], timeoutMs: Int) -> [Bool] {
        var raw = items.map { item -> zmq_pollitem_t in
            switch item {
            case .socket(let s): return zmq_pollitem_t(socket: s.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            case .fd(let fd): return zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)
            }
        }
        let n = zmq_poll(&raw, Int32(raw.count), timeoutMs)
        if n <= 0 { return Array(repeating: false, count: items.count) }
        return raw.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
    }
}
