import Foundation
import Testing
@testable import Coordinator
import Protocol

/// True when scripts/setup has prepared the serving venv and SmolLM2.
let servingAvailable = FileManager.default.fileExists(atPath: TestCluster.packageRoot + "/.venv-vllm/bin/vllm")
    && FileManager.default.fileExists(atPath: TestCluster.packageRoot + "/models/SmolLM2-135M-Instruct/config.json")

extension Processes {
/// The real vLLM CPU server with SmolLM2-135M-Instruct, driven through the real runner.
/// Needs `scripts/setup` (the serving venv and the model); skipped with a message otherwise.
@Suite("ServingEndToEnd", .serialized, .enabled(if: servingAvailable, "run scripts/setup first: needs .venv-vllm and models/SmolLM2-135M-Instruct"))
struct ServingEndToEndTests {
    static let root = TestCluster.packageRoot
    static let model = root + "/models/SmolLM2-135M-Instruct"

    static let serving = """
        [serving]
        venv = "\(root)/.venv-vllm"
        startup_timeout_s = 480
        concurrency = 1
        [serving.env]
        VLLM_CPU_KVCACHE_SPACE = "1"
        """

    static func needleSweep(model: String, lengths: String, depths: String) -> String {
        """
        [sweep]
        name = "serve"
        [generation]
        temperature = 0.0
        max_tokens = 32
        dtype = "float32"
        enforce_eager = true
        max_model_len = 2048
        [[models]]
        name = "smol"
        path = "\(model)"
        params_b = 0.135
        [[methods]]
        name = "none"
        algorithm = "none"
        [[tasks]]
        name = "needle"
        suite = "needle"
        [tasks.params]
        context_lengths = "\(lengths)"
        depths = "\(depths)"
        """
    }

    /// `acbench demo` on sweeps/demo.toml: a coordinator and two workers, vLLM, the results table,
    /// BabyAI episodes against the minigrid sidecar.
    @Test(.enabled(if: agentboardAvailable, "run scripts/setup-agentboard first: the demo has a BabyAI unit"))
    func demoSweepThroughTheRealRunner() async throws {
        let c = try TestCluster(name: "demo", extraConfig: Self.serving.replacingOccurrences(of: "concurrency = 1", with: "concurrency = 8")
                                + "\n" + AgentBoardEndToEndTests.agentboardConfig(inFlight: 1),
                                leaseSeconds: 120)
        defer { c.tearDown() }
        try FileManager.default.createSymbolicLink(atPath: c.dir + "/models", withDestinationPath: Self.root + "/models")
        let demo = try c.start(["demo", "--sweep", Self.root + "/sweeps/demo.toml"], log: "demo.out")
        #expect(await TestCluster.wait(demo, seconds: 1800), "demo did not finish")
        let out = c.output("demo.out")
        #expect(demo.terminationStatus == 0, "\(out.suffix(3000))")
        #expect(out.contains("results of sweep 'demo'"))
        #expect(out.contains("set_recall"))
        let store = try StateStore(path: c.statePath, readOnly: true)
        let records = try store.sweepRecords(sweep: "demo")
        #expect(records.allSatisfy { $0.state == .done }, "\(records.filter { $0.state != .done }.map { "\($0.spec.slot): \($0.failureMessage ?? "")" })")
        #expect(Set(records.map(\.spec.kind)) == [.compress, .eval, .analysis])
        for needle in records where needle.spec.task?.suite == "needle" {
            let samples = try store.samples(unit: needle.spec.id)
            #expect(samples.count == 9)
            #expect(samples.allSatisfy { ($0.scores["set_recall"] ?? -1) >= 0 && ($0.scores["rouge1_f"] ?? -1) >= 0 },
                    "\(samples.map { "\($0.sampleId): \($0.scores)" })")
        }
        let babyai = records.filter { $0.spec.task?.suite == "agentboard" }
        #expect(babyai.count == 3, "one BabyAI unit per method")
        for unit in babyai {
            let episodes = try store.samples(unit: unit.spec.id)
            #expect(episodes.map(\.sampleId) == ["babyai-level1-seed1234", "babyai-level2-seed1234"])
            #expect(episodes.allSatisfy { $0.scores["progress_rate"] != nil && $0.scores["success"] != nil },
                    "\(episodes.map { "\($0.sampleId): \($0.scores)" })")
        }
        let analysis = try store.analysisRows()
        #expect(Set(analysis.map(\.metric)) == ["erank", "energy", "kendall", "spearman"])
        #expect(out.contains("report.html"))
        let report = try #require(FileManager.default.subpathsOfDirectory(atPath: c.dir + "/reports")
            .first { $0.hasSuffix("report.md") })
        let markdown = try String(contentsOfFile: c.dir + "/reports/" + report, encoding: .utf8)
        #expect(markdown.contains("agentboard-babyai") && markdown.contains("progress_rate") && markdown.contains("success"),
                "\(markdown.prefix(3000))")
        #expect(markdown.contains("| gptq-w4g64 | gptq | bits=4 group_size=64 samples=8 seq_len=128 sym=true | generated | float16 |"),
                "the report does not say how the demo quantized: \(markdown.prefix(3000))")
    }

    /// The server is SIGKILLed mid-unit: the unit fails as a serving failure, is retried on a new
    /// server, continues from the first unscored sample, and no sample is stored twice.
    @Test func serverKilledMidUnitIsRetried() async throws {
        let c = try TestCluster(name: "srvkill", extraConfig: Self.serving, leaseSeconds: 120)
        defer { c.tearDown() }
        try c.writeSweep(Self.needleSweep(model: Self.model, lengths: "256,384,512,640", depths: "0,33,66,100"))
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(try await c.waitForSamples(atLeast: 3, seconds: 600), "no samples: \(c.output("w0.out").suffix(2000))")
        let pidfile = c.dir + "/state/worker-w0/server-slot0.json"
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pidfile))) as! [String: Any]
        let group = (record["processGroup"] as! NSNumber).int32Value
        #expect(Foundation.kill(-group, SIGKILL) == 0)
        #expect(await TestCluster.wait(c.coordinator!, seconds: 900), "sweep did not finish: \(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let unit = try #require(try store.sweepRecords(sweep: "serve").first)
        #expect(unit.state == .done)
        let samples = try store.samples(unit: unit.spec.id)
        #expect(samples.map(\.index) == Array(0..<16))
        let failed = try store.db.rows("SELECT failure_class, message FROM attempts WHERE outcome = 'failed'") { ($0.text(0) ?? "", $0.text(1) ?? "") }
        #expect(failed.contains { $0.0 == "server_start" }, "attempts: \(failed)")
        let epochs = Set(try store.db.rows("SELECT DISTINCT epoch FROM samples") { $0.int(0) })
        #expect(epochs.count >= 2, "the retry did not continue from the stored samples: epochs \(epochs)")
    }

    /// A model folder vLLM cannot load fails the unit as `bad_model`, with the server log's excerpt.
    @Test func unloadableModelIsClassified() async throws {
        let c = try TestCluster(name: "badmodel", extraConfig: Self.serving, leaseSeconds: 120)
        defer { c.tearDown() }
        let bad = c.dir + "/models/broken"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        try "{}".write(toFile: bad + "/config.json", atomically: true, encoding: .utf8)
        try c.writeSweep(Self.needleSweep(model: bad, lengths: "256", depths: "0"))
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 600), "\(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let unit = try #require(try store.sweepRecords(sweep: "serve").first)
        #expect(unit.state == .failed)
        #expect(unit.failureClass == .badModel, "\(unit.failureClass?.rawValue ?? "nil"): \(unit.failureMessage ?? "")")
        #expect((unit.failureMessage ?? "").contains("log:"), "no log excerpt: \(unit.failureMessage ?? "")")
    }

    /// A worker SIGKILLed while its server runs: the server's whole process group is gone soon after.
    @Test func killedWorkerTakesItsServerDown() async throws {
        let c = try TestCluster(name: "wkill", extraConfig: Self.serving, leaseSeconds: 120)
        defer { c.tearDown() }
        try c.writeSweep(Self.needleSweep(model: Self.model, lengths: "256,384,512,640", depths: "0,33,66,100"))
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(try await c.waitForSamples(atLeast: 1, seconds: 600))
        let pidfile = c.dir + "/state/worker-w0/server-slot0.json"
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pidfile))) as! [String: Any]
        let group = (record["processGroup"] as! NSNumber).int32Value
        #expect(!Self.members(of: group).isEmpty)
        TestCluster.kill(c.workers["w0"])
        let killedAt = Date()
        while !Self.members(of: group).isEmpty && Date().timeIntervalSince(killedAt) < 30 { try await Task.sleep(nanoseconds: 200_000 * 1000) }
        let left = Self.members(of: group)
        #expect(left.isEmpty, "server processes still alive 30 s after the worker died: \(left)")
        print("server group gone \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s after the worker was killed")
    }

    /// Pids whose process group is `group` (from /proc/PID/stat).
    static func members(of group: Int32) -> [Int32] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && Int32(fields[3]) == group
        }
    }
}
}
