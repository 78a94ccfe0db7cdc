import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// `serving.engine = "external"`: the worker spawns no server and sends the task's prompts to a
/// given OpenAI-compatible URL (here the project's no-op server, which tokenizes per character).
@Suite("ExternalEngine", .serialized)
struct ExternalEngineTests {
    @Test func needleAgainstAnExternalEndpoint() async throws {
        let (server, port) = try await Self.startNoopServer()
        defer { server.terminate() }
        let c = try TestCluster(name: "external", extraConfig: """
            [serving]
            engine = "external"
            url = "http://127.0.0.1:\(port)"
            concurrency = 4
            """, leaseSeconds: 30)
        defer { c.tearDown() }
        try c.writeSweep("""
            [sweep]
            name = "ext"
            [generation]
            max_tokens = 32
            [[models]]
            name = "remote"
            path = "noop"
            params_b = 7
            [[methods]]
            name = "none"
            algorithm = "none"
            [[tasks]]
            name = "needle"
            suite = "needle"
            shards = 2
            [tasks.params]
            context_lengths = "300,600"
            depths = "0,50,100"
            """)
        try c.startCoordinator()
        try c.startWorker("w0")
        try c.startWorker("w1")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 120), "\(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let units = try store.sweepRecords(sweep: "ext")
        #expect(units.count == 2)
        #expect(units.allSatisfy { $0.state == .done }, "\(units.map { "\($0.spec.slot) \($0.state) \($0.failureMessage ?? "")" })")
        let samples = try units.flatMap { try store.samples(unit: $0.spec.id) }
        #expect(samples.count == 6)
        #expect(samples.allSatisfy { $0.output.trimmingCharacters(in: .whitespaces) == "noop" && $0.scores["set_recall"] == 0 }, "\(samples.map { "\($0.output.debugDescription) \($0.scores)" })")
    }

    /// A model name the endpoint does not serve fails the unit as `bad_model`, quoting the server.
    @Test func unknownModelIsABadModel() async throws {
        let (server, port) = try await Self.startNoopServer()
        defer { server.terminate() }
        let c = try TestCluster(name: "external404", extraConfig: "[serving]\nengine = \"external\"\nurl = \"http://127.0.0.1:\(port)\"\n")
        defer { c.tearDown() }
        try c.writeSweep("[sweep]\nname = \"ext\"\n[[models]]\nname = \"r\"\npath = \"org/absent\"\nparams_b = 1\n"
                         + "[[methods]]\nname = \"none\"\nalgorithm = \"none\"\n"
                         + "[[tasks]]\nname = \"needle\"\nsuite = \"needle\"\n[tasks.params]\ncontext_lengths = \"300\"\ndepths = \"0\"\n")
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 60))
        let unit = try #require(try StateStore(path: c.statePath, readOnly: true).sweepRecords(sweep: "ext").first)
        #expect(unit.state == .failed && unit.failureClass == .badModel)
        #expect((unit.failureMessage ?? "").contains("org/absent"))
    }

    /// Starts the project's no-op OpenAI-compatible server on a free port; returns it and the port.
    static func startNoopServer(_ extra: [String] = []) async throws -> (Process, String) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let portFile = NSTemporaryDirectory() + "noop-port-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: portFile) }
        server.arguments = ["python3", TestCluster.packageRoot + "/scripts/bench/noop_openai_server.py", "--port-file", portFile] + extra
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let port = ((try? String(contentsOfFile: portFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !port.isEmpty { return (server, port) }
            try await Task.sleep(nanoseconds: 50_000 * 1000)
        }
        server.terminate()
        throw CLIFailure("the no-op server did not start")
    }
}
}

struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}
