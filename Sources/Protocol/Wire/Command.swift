/// The protocol tag that opens every message: name and major version (docs/PROTOCOL.md).
public enum WireVersion {
    /// Frame 1 of every message. A peer sending another tag is refused with DISCONNECT.
    public static let tag = "ACB1"
    public static let major = 1
    /// Minor version of this build (sent in READY); the coordinator accepts minors it can speak.
    public static let minor = 0
    public static let supportedMinors: ClosedRange<Int> = 0...0
}

/// Command byte (frame 2). Values are fixed once and never reused.
public enum Command: UInt8, Sendable, CaseIterable {
    // worker → coordinator
    case ready = 0x01
    case ask = 0x02
    case progress = 0x03
    case result = 0x04
    case finish = 0x05
    case leaving = 0x06
    // coordinator → worker
    case assign = 0x10
    case noWork = 0x11
    case ack = 0x12
    case cancel = 0x13
    case disconnect = 0x14
    // both
    case heartbeat = 0x20
}
