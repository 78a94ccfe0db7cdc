import Foundation
import Testing
@testable import Coordinator
@testable import Protocol

/// `[analysis]` in a sweep plans one analysis unit per (model, compressed method), after its
/// compress unit; its identity follows the analysis settings; the engine stores what FINISH carries.
@Suite("AnalysisPlan")
struct AnalysisPlanTests {
    @Test func analysisUnitsFollowCompressUnits() throws {
        var sweep = Fixture.sweep(methods: [Fixture.none, Fixture.rtn])
        sweep.analysis = AnalysisSpec(sequences: 4, positions: 16, seed: 0)
        let units = Planner(baseDirectory: "/nonexistent").plan(sweep)
        let analysis = units.filter { $0.kind == .analysis }
        let compress = try #require(units.first { $0.kind == .compress })
        #expect(analysis.count == 1)
        #expect(analysis.first?.dependsOn == [compress.id])
        #expect(analysis.first?.slot == "tiny/rtn-w4/analysis")
        #expect(analysis.first?.analysis == AnalysisSpec(sequences: 4, positions: 16, seed: 0))
        sweep.analysis?.positions = 32
        let changed = Planner(baseDirectory: "/nonexistent").plan(sweep).filter { $0.kind == .analysis }
        #expect(changed.first?.id != analysis.first?.id)
        sweep.analysis = nil
        #expect(Planner(baseDirectory: "/nonexistent").plan(sweep).allSatisfy { $0.kind != .analysis })
    }

    @Test func sweepFileAnalysisTable() throws {
        let dir = try TempDir("analysis")
        let path = try dir.write("s.toml", """
            [sweep]
            name = "a"
            [[models]]
            name = "m"
            path = "m"
            params_b = 1
            [[methods]]
            name = "none"
            algorithm = "none"
            [[tasks]]
            name = "t"
            suite = "synthetic"
            [analysis]
            sequences = 2
            positions = 8
            """)
        #expect(try SweepLoader.load(path: path).analysis == AnalysisSpec(sequences: 2, positions: 8, seed: 0))
        let bad = try dir.write("b.toml", try String(contentsOfFile: path, encoding: .utf8) + "tokens = 3\n")
        #expect(throws: ConfigError.self) { try SweepLoader.load(path: bad) }
    }

    @Test func finishStoresAnalysisValues() throws {
        let dir = try TempDir("analysis")
        var sweep = Fixture.sweep(methods: [Fixture.none, Fixture.rtn])
        sweep.analysis = AnalysisSpec(sequences: 1, positions: 2)
        let units = Planner(baseDirectory: dir.path).plan(sweep)
        let store = try StateStore(path: dir.path + "/s.sqlite")
        try store.registerPlan(sweep: sweep.name, units: units)
        let engine = try CoordinatorEngine(store: store, sweep: sweep.name, units: units, config: ClusterConfig())
        let peer: [UInt8] = [1]
        let caps = Capabilities(host: "h", gpus: [], device: "cpu", memoryGiB: 8, artifacts: [], kinds: [.compress, .eval, .analysis])
        _ = engine.handle(peer: peer, userId: nil, message: .ready(ReadyMessage(worker: "w", incarnation: "i", capabilities: caps)), now: 1)
        // Run units in the order given until the analysis unit has been finished with two values.
        var now = 2.0
        for _ in 0..<units.count {
            let out = engine.handle(peer: peer, userId: nil, message: .ask(AskMessage()), now: now)
            guard case .assign(let a)? = out.first?.message else { break }
            let values = a.unit.kind == .analysis
                ? [AnalysisValue(method: "rtn-w4", metric: "erank", value: 3.5), AnalysisValue(method: "rtn-w4", metric: "kendall", k: 3, position: 1, value: .nan)]
                : nil
            let art = a.unit.kind == .compress ? ArtifactInfo(path: "/a", digest: "d", bytes: 1, host: "h") : nil
            var results: [WireMessage] = []
            if a.unit.kind == .eval {
                for i in 0..<3 { results.append(.result(ResultMessage(unit: a.unit.id, epoch: a.epoch, seq: i + 1,
                                                                       sample: SampleResult(sampleId: "s\(i)", index: i, scores: ["score": 1])))) }
            }
            for m in results { _ = engine.handle(peer: peer, userId: nil, message: m, now: now) }
            engine.flush(now: now)
            _ = engine.handle(peer: peer, userId: nil, message: .finish(FinishMessage(
                unit: a.unit.id, epoch: a.epoch, seq: results.count + 1, outcome: .done, sampleCount: results.count,
                artifact: art, analysis: values)), now: now)
            now += 1
        }
        #expect(engine.isSweepFinished)
        let rows = try store.analysisRows()
        #expect(rows.count == 2)
        #expect(rows.contains { $0.metric == "erank" && $0.value == 3.5 && $0.model == "tiny" })
        #expect(rows.contains { $0.metric == "kendall" && $0.value.isNaN && $0.k == 3 && $0.position == 1 })
    }
}
