import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// What a worker records about the server it launched, one JSON file per slot under the state folder,
/// so that the next run of the same worker can reap it (serving.md §9, DESIGN "No zombie GPUs").
struct ServerPidfile: Codable, Sendable, Equatable {
    /// Process group id (= the guard's pid).
    var processGroup: Int32
    /// `/proc/PGID/stat` start time of the group leader, in clock ticks after boot.
    var startTicks: UInt64
    /// Boot the ticks belong to.
    var bootID: String
    /// Value of `ACBENCH_SERVER_TAG` in the server's environment.
    var tag: String
    var port: Int
    var model: String
    var logFile: String
    /// The worker process that launched it.
    var workerPID: Int32

    static func path(stateDirectory: String, slot: Int) -> String { "\(stateDirectory)/server-slot\(slot).json" }

    static func read(_ path: String) -> ServerPidfile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ServerPidfile.self, from: data)
    }

    func write(to path: String) throws {
        let tmp = path + ".tmp"
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func remove(_ path: String) { try? FileManager.default.removeItemIfPresent(atPath: path) }

    /// The group's live processes that provably belong to this record: the leader when its start
    /// time matches, and any member carrying the launch tag (vLLM's children outlive the leader
    /// and keep its group). Empty when the group is gone or was taken over after pid reuse.
    func ownedMembers() -> (all: [ProcessTable.Stat], owned: [ProcessTable.Stat]) {
        guard bootID == ProcessTable.bootID() else { return ([], []) }
        let all = ProcessTable.members(ofGroup: processGroup)
        let owned = all.filter { member in
            if member.pid == processGroup { return member.startTicks == startTicks }
            return member.startTicks >= startTicks
                && ProcessTable.environment(of: member.pid, contains: LaunchPlan.tagVariable, value: tag)
        }
        return (all, owned)
    }
}

extension FileManager {
    func removeItemIfPresent(atPath path: String) throws {
        if fileExists(atPath: path) { try removeItem(atPath: path) }
    }
}
