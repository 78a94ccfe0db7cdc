import Foundation
import Testing
@testable import Coordinator
import Protocol

/// True when scripts/setup-agentboard has prepared the simulators' venv.
let agentboardAvailable = FileManager.default.isExecutableFile(atPath: TestCluster.packageRoot + "/.venv-agentboard/bin/python")

extension Processes {
/// AgentBoard episodes through the real runner: environment sidecars from `.venv-agentboard`,
/// the model either the no-op endpoint (fast, for failure handling) or SmolLM2 on vLLM's CPU build.
@Suite("AgentBoardEndToEnd", .serialized,
       .enabled(if: agentboardAvailable, "run scripts/setup-agentboard first: needs .venv-agentboard"))
struct AgentBoardEndToEndTests {
    static let root = TestCluster.packageRoot

    static func agentboardConfig(inFlight: Int) -> String {
        """
        [agentboard]
        venv = "\(root)/.venv-agentboard"
        scripts = "\(root)/scripts/agentboard"
        call_timeout_s = 60
        episodes_in_flight = \(inFlight)
        """
    }

    static func sweep(model: String, tasks: String, maxModelLen: Int = 2048) -> String {
        """
        [sweep]
        name = "ab"
        [generation]
        temperature = 0.0
        dtype = "float32"
        enforce_eager = true
        max_model_len = \(maxModelLen)
        [[models]]
        name = "smol"
        path = "\(model)"
        params_b = 0.135
        [[methods]]
        name = "none"
        algorithm = "none"
        \(tasks)
        """
    }

    /// A BabyAI sidecar SIGKILLed mid-episode: the unit fails as `scorer_error` naming the episode,
    /// is retried, continues with the first unfinished episode, and stores every episode once.
    @Test func sidecarKilledMidEpisodeIsRetried() async throws {
        let (server, port) = try await ExternalEngineTests.startNoopServer(["--sleep", "0.15"])
        defer { server.terminate() }
        let c = try TestCluster(name: "abkill", extraConfig: """
            [serving]
            engine = "external"
            url = "http://127.0.0.1:\(port)"
            \(Self.agentboardConfig(inFlight: 1))
            """, leaseSeconds: 30)
        defer { c.tearDown() }
        try c.writeSweep(Self.sweep(model: "noop", tasks: """
            [[tasks]]
            name = "babyai"
            suite = "agentboard"
            subset = "babyai"
            limit = 3
            [tasks.params]
            max_steps = 20
            """))
        try c.startCoordinator()
        try c.startWorker("w0")
        let worker = try #require(c.workers["w0"])
        #expect(try await c.waitForSamples(atLeast: 1, seconds: 120), "no episode stored: \(c.output("w0.out").suffix(2000))")
        try await Task.sleep(nanoseconds: 500_000 * 1000)
        let sidecar = try #require(Self.children(of: worker.processIdentifier, running: "babyai_sidecar.py").first,
                                   "no sidecar under the worker \(worker.processIdentifier): \(Self.processList())\n\(c.output("w0.out").suffix(1500))")
        #expect(kill(sidecar, SIGKILL) == 0)
        #expect(await TestCluster.wait(c.coordinator!, seconds: 300), "sweep did not finish: \(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let unit = try #require(try store.sweepRecords(sweep: "ab").first)
        #expect(unit.state == .done, "\(unit.state) \(unit.failureMessage ?? "")")
        let samples = try store.samples(unit: unit.spec.id)
        #expect(samples.map(\.index).sorted() == [0, 1, 2])
        #expect(samples.allSatisfy { $0.scores["progress_rate"] != nil && $0.scores["success"] != nil && $0.output.contains("Goal: ") })
        let failed = try store.db.rows("SELECT failure_class, message FROM attempts WHERE outcome = 'failed'") { ($0.text(0) ?? "", $0.text(1) ?? "") }
        #expect(failed.contains { $0.0 == "scorer_error" && $0.1.contains("sidecar crashed") && $0.1.contains("episode babyai-") }, "attempts: \(failed)")
        let epochs = Set(try store.db.rows("SELECT DISTINCT epoch FROM samples") { $0.int(0) })
        #expect(epochs.count >= 2, "the retry did not continue from the stored episodes: epochs \(epochs)")
    }

    /// SmolLM2 on vLLM's CPU build plays short BabyAI, ScienceWorld and PDDL episodes; the report shows
    /// progress and success rates per task.
    @Test(.enabled(if: servingAvailable, "run scripts/setup first: needs .venv-vllm and models/SmolLM2-135M-Instruct"))
    func smolLM2PlaysBabyAIScienceWorldAndPDDL() async throws {
        let c = try TestCluster(name: "abreal", extraConfig: """
            [serving]
            venv = "\(Self.root)/.venv-vllm"
            startup_timeout_s = 480
            [serving.env]
            VLLM_CPU_KVCACHE_SPACE = "1"
            \(Self.agentboardConfig(inFlight: 2))
            """, leaseSeconds: 120)
        defer { c.tearDown() }
        try c.writeSweep(Self.sweep(model: Self.root + "/models/SmolLM2-135M-Instruct", tasks: """
            [[tasks]]
            name = "babyai"
            suite = "agentboard"
            subset = "babyai"
            limit = 3
            [tasks.params]
            levels = "1,2"
            episodes_per_level = 2
            max_steps = 6
            [[tasks]]
            name = "scienceworld"
            suite = "agentboard"
            subset = "scienceworld"
            limit = 2
            [tasks.params]
            max_steps = 4
            [[tasks]]
            name = "pddl"
            suite = "agentboard"
            subset = "pddl"
            limit = 2
            [tasks.params]
            domains = "blocks"
            max_steps = 4
            """))
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 900), "sweep did not finish: \(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let units = try store.sweepRecords(sweep: "ab")
        #expect(units.count == 3)
        #expect(units.allSatisfy { $0.state == .done }, "\(units.map { "\($0.spec.slot) \($0.state) \($0.failureMessage ?? "")" })")
        let samples = try units.flatMap { try store.samples(unit: $0.spec.id) }
        #expect(samples.count == 7)
        for s in samples {
            #expect((0...1).contains(s.scores["progress_rate"] ?? -1) && [0, 1].contains(s.scores["success"] ?? -1), "\(s.sampleId): \(s.scores)")
            #expect(s.output.contains("Step 0 Action: "), "\(s.sampleId): no turn in the transcript:\n\(s.output.prefix(500))")
        }
        print(samples.map { "\($0.sampleId): \($0.scores)\n\($0.output.prefix(1200))" }.joined(separator: "\n---\n"))
        let report = try c.start(["report", "--sweep", "ab", "--format", "md"], log: "report.out")
        #expect(await TestCluster.wait(report, seconds: 120))
        let text = c.output("report.out")
        #expect(text.contains("progress_rate"), "\(text.suffix(3000))")
        print(text.suffix(3000))
    }

    /// `ps` output, for failure messages.
    static func processList() -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/ps")
        p.arguments = ["-eo", "pid,ppid,pgid,args"]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").filter { $0.contains("acbench") || $0.contains("sidecar") }.joined(separator: "\n")
    }

    /// Pids whose parent is `parent` and whose command line mentions `needle`.
    static func children(of parent: Int32, running needle: String) -> [Int32] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")"),
                  let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent && cmd.contains(needle)
        }
    }
}
}
