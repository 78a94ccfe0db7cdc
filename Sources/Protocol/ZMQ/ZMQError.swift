import CZeroMQ

/// A failed libzmq call: the operation and `zmq_strerror` of its errno.
public struct ZMQError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation): \(String(cString: zmq_strerror(errno))) (errno \(errno))" }

    static func last(_ operation: String) -> ZMQError { ZMQError(operation: operation, errno: zmq_errno()) }
}
