import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// AgentBoard tool-query through coordinator, worker and the real tool sidecar, on the small
/// academia data of Tests/Fixtures/agentboard/make_tool_query_data.py, the model the no-op endpoint.
@Suite("AgentBoardToolEndToEnd", .serialized,
       .enabled(if: agentboardAvailable, "run scripts/setup-agentboard first: needs .venv-agentboard"))
struct AgentBoardToolEndToEndTests {
    /// `tools = "academia"` plays and stores every academia episode; the whole file reaches the
    /// movie episode and fails the unit as `data_missing`, naming the episode, TMDB and MOVIE_KEY.
    @Test func academiaRunsAndMovieFailsClearly() async throws {
        let (server, port) = try await ExternalEngineTests.startNoopServer()
        defer { server.terminate() }
        let c = try TestCluster(name: "abtool", extraConfig: """
            [serving]
            engine = "external"
            url = "http://127.0.0.1:\(port)"
            \(AgentBoardEndToEndTests.agentboardConfig(inFlight: 1))
            """, leaseSeconds: 30)
        defer { c.tearDown() }
        let data = c.dir + "/agentboard-data"
        let root = AgentBoardEndToEndTests.root
        #expect(try await Self.run(root + "/.venv-agentboard/bin/python", [root + "/Tests/Fixtures/agentboard/make_tool_query_data.py", data]) == 0)
        try c.writeSweep(AgentBoardEndToEndTests.sweep(model: "noop", tasks: """
            [[tasks]]
            name = "academia"
            suite = "agentboard"
            subset = "tool-query"
            data = "\(data)"
            [tasks.params]
            tools = "academia"
            max_steps = 3
            [[tasks]]
            name = "query"
            suite = "agentboard"
            subset = "tool-query"
            data = "\(data)"
            [tasks.params]
            max_steps = 2
            """))
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 300), "sweep did not finish: \(c.output("coordinator.out").suffix(2000))")
        let store = try StateStore(path: c.statePath, readOnly: true)
        let units = try store.sweepRecords(sweep: "ab")
        let academia = try #require(units.first { $0.spec.task?.name == "academia" })
        #expect(academia.state == .done, "\(academia.state) \(academia.failureMessage ?? "")")
        let samples = try store.samples(unit: academia.spec.id)
        #expect(samples.map(\.sampleId).sorted() == ["tool-query-academia-0", "tool-query-academia-1", "tool-query-academia-2"])
        #expect(samples.allSatisfy { $0.scores["progress_rate"] == 0 && $0.scores["steps"] == 3 && $0.output.contains("Goal: ") },
                "\(samples.map { "\($0.scores)\n\($0.output.prefix(600))" })")
        let query = try #require(units.first { $0.spec.task?.name == "query" })
        #expect(query.state == .failed && query.failureClass == .dataMissing, "\(query.state) \(query.failureClass?.rawValue ?? "")")
        let message = query.failureMessage ?? ""
        #expect(message.contains("episode tool-query-movie-3") && message.contains("TMDB") && message.contains("MOVIE_KEY"), "\(message)")
    }

    /// A child process, awaited without blocking a thread.
    static func run(_ program: String, _ args: [String]) async throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        return try await withCheckedThrowingContinuation { c in
            p.terminationHandler = { c.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch { c.resume(throwing: error) }
        }
    }
}
}
