#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// The worker's outbox on disk: every RESULT and FINISH is appended here before it is sent and
/// stays until the coordinator acknowledges it. It survives a worker restart (SIGKILL included:
/// appended bytes are in the OS page cache once `write` returns) and is replayed after a reconnect.
///
/// Format: one JSON object per line, `{"e": <entry>}` for an entry and `{"a": [unit, epoch, [seqs]]}`
/// for an acknowledgement; a torn last line (a crash mid-write) is ignored on load.
public final class Journal: @unchecked Sendable {
    /// One unacknowledged message.
    public struct Entry: Codable, Sendable, Equatable {
        public var unit: String
        public var epoch: Int
        public var seq: Int
        public var result: ResultMessage?
        public var finish: FinishMessage?

        public var message: WireMessage { result.map { .result($0) } ?? .finish(finish!) }
    }

    private struct Line: Codable { var e: Entry?; var a: Ack? }
    private struct Ack: Codable { var unit: String; var epoch: Int; var seqs: [Int] }

    public let path: String
    private let state = Locked<(fd: Int32, pending: [String: Entry], order: [String], lines: Int)>((-1, [:], [], 0))
    private let encoder = JSONEncoder()

    /// Opens (creating) the journal and loads what an earlier run left unacknowledged.
    public init(path: String) throws {
        self.path = path
        try Files.makeDirectories(Files.directory(of: path))
        var pending: [String: Entry] = [:], order: [String] = [], lines = 0
        if let text = Files.readText(path) {
            let dec = JSONDecoder()
            for raw in text.split(separator: "\n") {
                guard let line = try? dec.decode(Line.self, from: Data(raw.utf8)) else { continue }
                lines += 1
                if let e = line.e {
                    let k = Self.key(e.unit, e.epoch, e.seq)
                    if pending[k] == nil { order.append(k) }
                    pending[k] = e
                } else if let a = line.a {
                    for s in a.seqs { pending[Self.key(a.unit, a.epoch, s)] = nil }
                }
            }
        }
        order = order.filter { pending[$0] != nil }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, detail: String(cString: strerror(errno))) }
        // A torn last line (no trailing newline) must be terminated, or the next appended line
        // would be glued onto it and lost on the following load.
        if let size = Files.size(path), size > 0, Files.read(path, offset: size - 1, count: 1) != [0x0a] {
            do { try Self.write(fd, [0x0a], path) } catch { close(fd); throw error }
        }
        state.withLock { $0 = (fd, pending, order, lines) }
        compactIfWorthIt()
    }

    deinit { state.withLock { if $0.fd >= 0 { close($0.fd) } } }

    static func key(_ unit: String, _ epoch: Int, _ seq: Int) -> String { "\(unit)@\(epoch)#\(seq)" }

    /// Appends an entry; returns once it is in the file.
    public func append(_ entry: Entry) throws {
        let bytes = Array((try encoder.encode(Line(e: entry, a: nil)))) + [0x0a]
        try state.withLock { s in
            try Self.write(s.fd, bytes, path)
            let k = Self.key(entry.unit, entry.epoch, entry.seq)
            if s.pending[k] == nil { s.order.append(k) }
            s.pending[k] = entry
            s.lines += 1
        }
    }

    /// Drops acknowledged entries.
    public func acknowledge(unit: String, epoch: Int, seqs: [Int]) {
        let bytes = Array((try? encoder.encode(Line(e: nil, a: Ack(unit: unit, epoch: epoch, seqs: seqs)))) ?? Data()) + [0x0a]
        state.withLock { s in
            for q in seqs { s.pending[Self.key(unit, epoch, q)] = nil }
            try? Self.write(s.fd, bytes, path)
            s.lines += 1
        }
        compactIfWorthIt()
    }

    /// Drops every entry of (unit, epoch): the coordinator refused that epoch.
    public func drop(unit: String, epoch: Int) {
        let seqs = state.withLock { s in s.pending.values.filter { $0.unit == unit && $0.epoch == epoch }.map(\.seq) }
        if !seqs.isEmpty { acknowledge(unit: unit, epoch: epoch, seqs: seqs) }
    }

    /// Unacknowledged entries in the order they were appended.
    public var pending: [Entry] {
        state.withLock { s in s.order.compactMap { s.pending[$0] } }
    }

    /// Unacknowledged entries of (unit, epoch).
    public func pendingCount(unit: String, epoch: Int) -> Int {
        state.withLock { s in s.pending.values.filter { $0.unit == unit && $0.epoch == epoch }.count }
    }

    /// Rewrites the file with only the pending entries once it holds mostly acknowledged lines.
    private func compactIfWorthIt() {
        state.withLock { s in
            s.order = s.order.filter { s.pending[$0] != nil }
            guard s.lines > 1000 && s.lines > 4 * s.order.count else { return }
            var bytes: [UInt8] = []
            for k in s.order { if let e = s.pending[k] { bytes += Array((try? encoder.encode(Line(e: e, a: nil))) ?? Data()) + [0x0a] } }
            do {
                try Files.writeAtomic(path, bytes)
                close(s.fd)
                s.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                s.lines = s.order.count
            } catch {}
        }
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if r <= 0 { throw FileError(path: path, detail: String(cString: strerror(errno))) }
            done += r
        }
    }
}
