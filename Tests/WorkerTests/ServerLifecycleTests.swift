import FoundationEssentials
import Protocol
import Subprocess
import SystemPackage
import Testing
@testable import Worker
#if canImport(Glibc)
import Glibc
#endif

private typealias S = ServerTestSupport

extension ServerManagerTests {
    /// The worker is SIGKILLed while its server runs: the guard must take the server's whole group down.
    /// A Python driver plays the worker and launches the exact guard command line ServerManager builds.
    @Test("the server dies when its worker dies")
    func workerDeathKillsServer() async throws {
        let (root, model) = try S.scratch("death")
        let pids = root + "/pids"
        let port = 19140
        let settings = S.fakeSettings(portBase: port, env: ["FAKE_CHILDREN": "2", "FAKE_PIDS_FILE": pids])
        let plan = LaunchPlan.make(settings: settings, spec: ServerSpec(model: model, servedName: "d"), port: port, gpus: [],
                                   internalPortBase: port + 5, runDirectory: root + "/run", tag: "death-test",
                                   inheritedPath: ProcessInfo.processInfo.environment["PATH"], cpuKVCacheGiB: 1)
        var argv = [ServerGuard.shell] + ServerGuard.arguments(workerPID: 0, graceSeconds: 2, command: plan.command)
        argv[4] = "{worker_pid}"  // [sh, -c, script, name, WORKER_PID, ...]: the driver puts in its own pid
        struct Job: Encodable { var argv: [String]; var env: [String: String]; var log: String }
        try JSONEncoder().encode(Job(argv: argv, env: plan.environment, log: root + "/s.log"))
            .write(to: URL(fileURLWithPath: root + "/job.json"))

        let driverOut = root + "/driver.out"
        let fd = open(driverOut, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let (driverPids, sink) = AsyncStream<Int32>.makeStream()
        let driver = Task {
            _ = try await Subprocess.run(.name("python3"), arguments: [S.deathDriver, root + "/job.json"],
                                         input: .none, output: .fileDescriptor(FileDescriptor(rawValue: fd), closeAfterSpawningProcess: true),
                                         error: .discarded) { execution in
                sink.yield(execution.processIdentifier.value)
                sink.finish()
            }
        }
        var it = driverPids.makeAsyncIterator()
        let driverPID = try #require(await it.next())
        #expect(await S.eventually(20) { (try? LoopbackHTTP.request(port: port, path: "/health"))?.status == 200 })
        let groupText = String(decoding: FileManager.default.contents(atPath: driverOut) ?? Data(), as: UTF8.self)
        let group = try #require(Int32(groupText.split(separator: "\n").first ?? ""))
        let recorded = S.recordedPids(pids)
        #expect(recorded.count == 3)
        #expect(ProcessTable.members(ofGroup: group).count >= 4)

        kill(driverPID, SIGKILL)
        _ = try? await driver.value
        #expect(await S.eventually(10) { ProcessTable.members(ofGroup: group).isEmpty })
        #expect(recorded.allSatisfy { !S.isAlive($0) })
        let log = String(decoding: FileManager.default.contents(atPath: root + "/s.log") ?? Data(), as: UTF8.self)
        #expect(log.contains("acbench-server-guard: worker \(driverPID) is gone"))
    }
}

/// The real engine: vLLM's CPU build serving the tiny random model (scripts/setup-serving, scripts/prepare-model).
@Suite("ServerManager real vLLM", .serialized,
       .enabled(if: ServerTestSupport.realVLLMAvailable,
                "skipped: needs .venv-vllm (scripts/setup-serving) and models/tiny-random-llama (scripts/prepare-model tiny)"))
struct ServerManagerRealVLLMTests {
    static func settings(portBase: Int) -> ServingSettings {
        var settings = ServingSettings(venv: S.vllmVenv, portBase: portBase, portStride: 10, startupTimeoutSeconds: 240)
        settings.args = ["--enforce-eager"]
        return settings
    }

    @Test("tiny model: ready, warm reuse, stop empties the group")
    func tinyModel() async throws {
        let root = "/tmp/acbench-servertest-\(getpid())-vllm"
        let manager = S.manager(Self.settings(portBase: 19200), root: root, grace: 15)
        let spec = ServerSpec(model: S.tinyModel, servedName: "tiny", dtype: "float32", maxModelLen: 512)
        let server = try await manager.ensureRunning(spec, logFile: root + "/vllm.log", deepCheck: S.completionCheck)
        print("real vLLM (tiny model) ready in \(server.startupSeconds) s on port \(server.port)")
        #expect(ProcessTable.members(ofGroup: server.processGroup).count >= 3)  // guard, API server, EngineCore(, Worker)
        let warm = try await manager.ensureRunning(spec, logFile: root + "/vllm.log", deepCheck: S.completionCheck)
        #expect(warm.processGroup == server.processGroup)
        try await manager.stop()
        #expect(ProcessTable.members(ofGroup: server.processGroup).isEmpty)
    }

    @Test("head_dim 16 passes /health, dies on the deep check: bad model",
          .enabled(if: FileManager.default.fileExists(atPath: ServerTestSupport.brokenModel + "/model.safetensors"),
                   "skipped: needs models/tiny-random-llama-hd16 (scripts/prepare-model tiny-broken)"))
    func brokenModel() async throws {
        let root = "/tmp/acbench-servertest-\(getpid())-vllm-broken"
        let manager = S.manager(Self.settings(portBase: 19220), root: root, grace: 15)
        let spec = ServerSpec(model: S.brokenModel, servedName: "broken", dtype: "float32", maxModelLen: 512)
        let failure = await #expect(throws: ServerStartFailure.self) {
            try await manager.ensureRunning(spec, logFile: root + "/vllm.log", deepCheck: S.completionCheck)
        }
        #expect(failure?.kind == .badModel)
        #expect(failure?.logExcerpt.isEmpty == false)
    }
}
