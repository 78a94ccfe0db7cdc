import FoundationEssentials
import Protocol
import Testing
@testable import Worker
#if canImport(Glibc)
import Glibc
#endif

private typealias S = ServerTestSupport

@Suite("ServerManager")
struct ServerManagerTests {
    @Test("ready path, warm reuse, switch and stop")
    func readyPath() async throws {
        let (root, model) = try S.scratch("ready")
        let manager = S.manager(S.fakeSettings(portBase: 19000), root: root)
        let spec = ServerSpec(model: model, servedName: "fake", dtype: "float32")
        let first = try await manager.ensureRunning(spec, logFile: root + "/logs/server.log", deepCheck: S.completionCheck)
        #expect(first.port == 19000)
        #expect(first.skippedPorts.isEmpty)
        #expect(try LoopbackHTTP.request(port: first.port, path: "/health").status == 200)
        #expect(FileManager.default.fileExists(atPath: root + "/state/server-slot0.json"))
        let log = String(decoding: FileManager.default.contents(atPath: root + "/logs/server.log") ?? Data(), as: UTF8.self)
        #expect(log.contains("--dtype float32") && log.contains("--host 127.0.0.1") && log.contains("Application startup complete"))

        let again = try await manager.ensureRunning(spec, logFile: root + "/logs/server.log", deepCheck: S.completionCheck)
        #expect(again.processGroup == first.processGroup)

        var other = spec
        other.servedName = "fake-2"
        let second = try await manager.ensureRunning(other, logFile: root + "/logs/server.log", deepCheck: S.completionCheck)
        #expect(second.processGroup != first.processGroup)
        #expect(ProcessTable.members(ofGroup: first.processGroup).isEmpty)

        try await manager.stop()
        #expect(ProcessTable.members(ofGroup: second.processGroup).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/state/server-slot0.json"))
        #expect(await manager.current == nil)
    }

    @Test("concurrent callers for one spec share one launch")
    func concurrentCallers() async throws {
        let (root, model) = try S.scratch("concurrent")
        let manager = S.manager(S.fakeSettings(portBase: 19160), root: root)
        let spec = ServerSpec(model: model, servedName: "c")
        async let a = manager.ensureRunning(spec, logFile: root + "/s.log", deepCheck: S.completionCheck)
        async let b = manager.ensureRunning(spec, logFile: root + "/s.log", deepCheck: S.completionCheck)
        let (first, second) = try await (a, b)
        #expect(first.processGroup == second.processGroup)
        let log = String(decoding: FileManager.default.contents(atPath: root + "/s.log") ?? Data(), as: UTF8.self)
        #expect(log.components(separatedBy: "=== acbench: starting server").count == 2)
        try await manager.stop()
    }

    @Test("a server that exits during start-up fails at once with its log tail")
    func exitsEarly() async throws {
        let (root, model) = try S.scratch("exit")
        let settings = S.fakeSettings(portBase: 19020, env: ["FAKE_MODE": "exit", "FAKE_MESSAGE": "RuntimeError: boom 42"])
        let manager = S.manager(settings, root: root)
        let began = ContinuousClock.now
        let failure = await #expect(throws: ServerStartFailure.self) {
            try await manager.ensureRunning(ServerSpec(model: model, servedName: "x"), logFile: root + "/s.log",
                                            deepCheck: S.completionCheck)
        }
        #expect(failure?.kind == .serverFailed)
        #expect(failure?.failureClass == .serverStart)
        #expect(failure?.exitCode == 3)
        #expect(failure?.logExcerpt.contains("RuntimeError: boom 42") == true)
        #expect(ContinuousClock.now - began < .seconds(15))
    }

    @Test("out-of-memory and bad-model messages are classified")
    func classification() async throws {
        let (root, model) = try S.scratch("classify")
        let oom = S.manager(S.fakeSettings(portBase: 19040, env: ["FAKE_MODE": "oom"]), root: root, slot: 0)
        let oomFailure = await #expect(throws: ServerStartFailure.self) {
            try await oom.ensureRunning(ServerSpec(model: model, servedName: "x"), logFile: root + "/oom.log", deepCheck: S.completionCheck)
        }
        #expect(oomFailure?.kind == .outOfMemory)
        #expect(oomFailure?.failureClass == .outOfMemory)
        #expect(oomFailure?.logExcerpt.contains("less than desired CPU memory utilization") == true)

        // An engine-specific model id that the engine cannot find: classified from the log.
        let bad = S.manager(S.fakeSettings(portBase: 19040), root: root, slot: 1)
        let badFailure = await #expect(throws: ServerStartFailure.self) {
            try await bad.ensureRunning(ServerSpec(model: "no-such/model", servedName: "x"), logFile: root + "/bad.log",
                                        deepCheck: S.completionCheck)
        }
        #expect(badFailure?.kind == .badModel)

        // A missing folder is refused before anything is launched.
        let missing = await #expect(throws: ServerStartFailure.self) {
            try await bad.ensureRunning(ServerSpec(model: root + "/nope", servedName: "x"), logFile: root + "/bad.log",
                                        deepCheck: S.completionCheck)
        }
        #expect(missing?.kind == .badModel)

        // Healthy, then the first request kills it (unsupported head_dim): the deep check catches it.
        let dies = S.manager(S.fakeSettings(portBase: 19040, env: ["FAKE_MODE": "die-on-request"]), root: root, slot: 2)
        let diesFailure = await #expect(throws: ServerStartFailure.self) {
            try await dies.ensureRunning(ServerSpec(model: model, servedName: "x"), logFile: root + "/dies.log", deepCheck: S.completionCheck)
        }
        #expect(diesFailure?.kind == .badModel)
        #expect(diesFailure?.message.contains("deep check") == true)
    }

    @Test("busy ports are skipped, and address-in-use moves on to the next port")
    func busyPort() async throws {
        let (root, model) = try S.scratch("ports")
        let held = S.occupy(19060)
        defer { close(held) }
        let manager = S.manager(S.fakeSettings(portBase: 19060, env: ["FAKE_BUSY_PORTS": "19061"]), root: root)
        let server = try await manager.ensureRunning(ServerSpec(model: model, servedName: "p"), logFile: root + "/s.log",
                                                     deepCheck: S.completionCheck)
        #expect(server.port == 19062)
        #expect(server.skippedPorts == [19060, 19061])
        try await manager.stop()
    }

    @Test("stop kills the whole process group, escalating to SIGKILL")
    func stopKillsGroup() async throws {
        let (root, model) = try S.scratch("stop")
        let pids = root + "/pids"
        let settings = S.fakeSettings(portBase: 19080, env: ["FAKE_CHILDREN": "2", "FAKE_IGNORE_TERM": "1", "FAKE_PIDS_FILE": pids])
        let manager = S.manager(settings, root: root, grace: 1)
        let server = try await manager.ensureRunning(ServerSpec(model: model, servedName: "g"), logFile: root + "/s.log",
                                                     deepCheck: S.completionCheck)
        let recorded = S.recordedPids(pids)
        #expect(recorded.count == 3)
        #expect(recorded.allSatisfy(S.isAlive))
        #expect(ProcessTable.members(ofGroup: server.processGroup).count >= 4)  // guard + server + 2 helpers
        try await manager.stop()
        #expect(recorded.allSatisfy { !S.isAlive($0) })
        #expect(ProcessTable.members(ofGroup: server.processGroup).isEmpty)
    }

    @Test("cleanupStale reaps an earlier run's group and spares a group that is not ours")
    func staleCleanup() async throws {
        let (root, model) = try S.scratch("stale")
        let pids = root + "/pids"
        let settings = S.fakeSettings(portBase: 19100, env: ["FAKE_CHILDREN": "1", "FAKE_PIDS_FILE": pids])
        let earlier = S.manager(settings, root: root, slot: 0)
        let server = try await earlier.ensureRunning(ServerSpec(model: model, servedName: "s"), logFile: root + "/s.log",
                                                     deepCheck: S.completionCheck)
        // A pidfile naming the live group, but with another start time and tag: a recycled pid.
        let real = try #require(ServerPidfile.read(ServerPidfile.path(stateDirectory: root + "/state", slot: 0)))
        var impostor = real
        impostor.startTicks -= 1
        impostor.tag = "someone-else"
        try impostor.write(to: ServerPidfile.path(stateDirectory: root + "/state", slot: 5))
        let spared = try await S.manager(settings, root: root, slot: 5).cleanupStale()
        #expect(spared?.outcome == .notOurs)
        #expect(!ProcessTable.members(ofGroup: server.processGroup).isEmpty)

        // The same slot restarted (a new manager with the same state folder): the group is reaped.
        let restarted = S.manager(settings, root: root, slot: 0)
        let report = try await restarted.cleanupStale()
        #expect(report?.outcome == .killed)
        #expect(ProcessTable.members(ofGroup: server.processGroup).isEmpty)
        #expect(S.recordedPids(pids).allSatisfy { !S.isAlive($0) })
        #expect(try await restarted.cleanupStale() == nil)
    }

    @Test("a server that never becomes ready times out and is stopped")
    func startupTimeout() async throws {
        let (root, model) = try S.scratch("timeout")
        let manager = S.manager(S.fakeSettings(portBase: 19120, env: ["FAKE_MODE": "hang"]), root: root, grace: 1, timeout: 2)
        let failure = await #expect(throws: ServerStartFailure.self) {
            try await manager.ensureRunning(ServerSpec(model: model, servedName: "t"), logFile: root + "/s.log", deepCheck: S.completionCheck)
        }
        #expect(failure?.kind == .startupTimeout)
        #expect(failure?.failureClass == .timeout)
        #expect(await manager.isAlive == false)
    }
}
