#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every message of the protocol, decoded and validated.
public enum WireMessage: Sendable, Equatable {
    case ready(ReadyMessage)
    case ask(AskMessage)
    case progress(ProgressMessage)
    case result(ResultMessage)
    case finish(FinishMessage)
    case leaving(LeavingMessage)
    case assign(AssignMessage)
    case noWork(NoWorkMessage)
    case ack(AckMessage)
    case cancel(CancelMessage)
    case disconnect(DisconnectMessage)
    case heartbeat

    public var command: Command {
        switch self {
        case .ready: return .ready
        case .ask: return .ask
        case .progress: return .progress
        case .result: return .result
        case .finish: return .finish
        case .leaving: return .leaving
        case .assign: return .assign
        case .noWork: return .noWork
        case .ack: return .ack
        case .cancel: return .cancel
        case .disconnect: return .disconnect
        case .heartbeat: return .heartbeat
        }
    }
}

/// Why an incoming message was refused. Logged with the peer's name; never crashes the receiver.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case frameCount(Int)
    case versionMismatch(got: String)
    case unknownCommand(UInt8)
    case tooLarge(bytes: Int, limit: Int)
    case badBody(command: Command, detail: String)
    case invalid(command: Command, field: String, detail: String)

    public var description: String {
        switch self {
        case .frameCount(let n): return "expected 3 frames (tag, command, body), got \(n)"
        case .versionMismatch(let got):
            return "protocol version mismatch (got \(got.debugDescription), want \(WireVersion.tag.debugDescription))"
        case .unknownCommand(let b): return "unknown command byte 0x\(String(b, radix: 16))"
        case .tooLarge(let n, let limit): return "message of \(n) bytes exceeds the limit of \(limit) bytes"
        case .badBody(let c, let d): return "\(c) body is not valid: \(d)"
        case .invalid(let c, let f, let d): return "\(c) field '\(f)': \(d)"
        }
    }
}

/// Encodes and decodes messages: frame 1 the tag, frame 2 the command byte, frame 3 a JSON body.
public struct WireCodec: Sendable {
    /// Largest message (all frames) accepted or sent.
    public let maxBytes: Int

    public init(maxBytes: Int = 16 << 20) { self.maxBytes = maxBytes }

    /// The frames of `message`. Throws `tooLarge` rather than sending a message the peer would drop.
    public func encode(_ message: WireMessage) throws -> [[UInt8]] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let body: Data
        switch message {
        case .ready(let m): body = try enc.encode(m)
        case .ask(let m): body = try enc.encode(m)
        case .progress(let m): body = try enc.encode(m)
        case .result(let m): body = try enc.encode(m)
        case .finish(let m): body = try enc.encode(m)
        case .leaving(let m): body = try enc.encode(m)
        case .assign(let m): body = try enc.encode(m)
        case .noWork(let m): body = try enc.encode(m)
        case .ack(let m): body = try enc.encode(m)
        case .cancel(let m): body = try enc.encode(m)
        case .disconnect(let m): body = try enc.encode(m)
        case .heartbeat: body = Data("{}".utf8)
        }
        let total = body.count + WireVersion.tag.utf8.count + 1
        guard total <= maxBytes else { throw WireError.tooLarge(bytes: total, limit: maxBytes) }
        return [Array(WireVersion.tag.utf8), [message.command.rawValue], Array(body)]
    }

    /// Decodes and validates frames (without any routing-id frame).
    public func decode(_ frames: [[UInt8]]) throws -> WireMessage {
        let total = frames.reduce(0) { $0 + $1.count }
        guard total <= maxBytes else { throw WireError.tooLarge(bytes: total, limit: maxBytes) }
        guard frames.count == 3 else {
            if let first = frames.first, first != Array(WireVersion.tag.utf8) {
                throw WireError.versionMismatch(got: String(decoding: first.prefix(16), as: UTF8.self))
            }
            throw WireError.frameCount(frames.count)
        }
        guard frames[0] == Array(WireVersion.tag.utf8) else {
            throw WireError.versionMismatch(got: String(decoding: frames[0].prefix(16), as: UTF8.self))
        }
        guard frames[1].count == 1 else { throw WireError.unknownCommand(frames[1].first ?? 0) }
        guard let command = Command(rawValue: frames[1][0]) else { throw WireError.unknownCommand(frames[1][0]) }
        let body = Data(frames[2])
        let message: WireMessage
        do {
            let dec = JSONDecoder()
            switch command {
            case .ready: message = .ready(try dec.decode(ReadyMessage.self, from: body))
            case .ask: message = .ask(try dec.decode(AskMessage.self, from: body))
            case .progress: message = .progress(try dec.decode(ProgressMessage.self, from: body))
            case .result: message = .result(try dec.decode(ResultMessage.self, from: body))
            case .finish: message = .finish(try dec.decode(FinishMessage.self, from: body))
            case .leaving: message = .leaving(try dec.decode(LeavingMessage.self, from: body))
            case .assign: message = .assign(try dec.decode(AssignMessage.self, from: body))
            case .noWork: message = .noWork(try dec.decode(NoWorkMessage.self, from: body))
            case .ack: message = .ack(try dec.decode(AckMessage.self, from: body))
            case .cancel: message = .cancel(try dec.decode(CancelMessage.self, from: body))
            case .disconnect: message = .disconnect(try dec.decode(DisconnectMessage.self, from: body))
            case .heartbeat: _ = try dec.decode(HeartbeatMessage.self, from: body); message = .heartbeat
            }
        } catch let e as DecodingError {
            throw WireError.badBody(command: command, detail: Self.describe(e))
        } catch {
            throw WireError.badBody(command: command, detail: "\(error)")
        }
        try MessageValidator.validate(message)
        return message
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: [CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let ctx): return "missing key '\(path(ctx.codingPath + [k]))'"
        case .typeMismatch(let t, let ctx): return "'\(path(ctx.codingPath))' should be \(t)"
        case .valueNotFound(let t, let ctx): return "'\(path(ctx.codingPath))' is null, expected \(t)"
        case .dataCorrupted(let ctx): return "malformed JSON at '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
