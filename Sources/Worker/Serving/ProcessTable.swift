import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Linux `/proc` queries and process-group signalling used to stop servers and to reap stale ones.
enum ProcessTable {
    /// One line of `/proc/PID/stat`, the fields acbench needs.
    struct Stat: Sendable, Equatable {
        var pid: Int32
        var state: Character
        var parent: Int32
        var group: Int32
        /// Start time after boot, in clock ticks (field 22): with `pid` it names a process uniquely.
        var startTicks: UInt64
    }

    static func stat(_ pid: Int32) -> Stat? {
        guard let text = readSmallFile("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice threads itrealvalue starttime ...
        let rest = text[text.index(after: close)...].split(separator: " ")
        guard rest.count > 19, let state = rest[0].first, let parent = Int32(rest[1]), let group = Int32(rest[2]),
              let start = UInt64(rest[19]) else { return nil }
        return Stat(pid: pid, state: state, parent: parent, group: group, startTicks: start)
    }

    /// Live (non-zombie) processes whose process group is `group`.
    static func members(ofGroup group: Int32) -> [Stat] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { Int32($0) }.compactMap(stat).filter { $0.group == group && $0.state != "Z" }
    }

    /// True when `pid`'s environment holds `NAME=value`.
    static func environment(of pid: Int32, contains name: String, value: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
        let needle = Array("\(name)=\(value)".utf8)
        return data.split(separator: 0).contains { Array($0) == needle }
    }

    /// This boot's id; start ticks are only comparable within one boot.
    static func bootID() -> String {
        String((readSmallFile("/proc/sys/kernel/random/boot_id") ?? "").filter { !$0.isWhitespace })
    }

    /// Sends `signal` to every process of the group; false when the group no longer exists.
    @discardableResult
    static func signalGroup(_ group: Int32, _ signal: Int32) -> Bool {
        guard group > 1 else { return false }
        return kill(-group, signal) == 0
    }

    /// SIGTERM to the group, then SIGKILL after `grace` seconds; returns once the group has no live
    /// member, or throws when it still has one 10 s after SIGKILL.
    static func terminateGroup(_ group: Int32, grace: Double) async throws {
        if members(ofGroup: group).isEmpty { return }
        signalGroup(group, SIGTERM)
        if await waitUntilEmpty(group, seconds: grace) { return }
        signalGroup(group, SIGKILL)
        if await waitUntilEmpty(group, seconds: 10) { return }
        let left = members(ofGroup: group).map { String($0.pid) }.joined(separator: ", ")
        throw ProcessGroupError(group: group, message: "process group \(group) still has processes [\(left)] after SIGKILL")
    }

    /// Polls every 100 ms until the group has no live member; false on timeout.
    static func waitUntilEmpty(_ group: Int32, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if members(ofGroup: group).isEmpty { return true }
            await pause(.milliseconds(100))
        }
        return members(ofGroup: group).isEmpty
    }

    private static func readSmallFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A server process group that would not go away, even after SIGKILL (a process stuck in the kernel).
public struct ProcessGroupError: Error, Sendable, CustomStringConvertible {
    public var group: Int32
    public var message: String
    public var description: String { message }
}
