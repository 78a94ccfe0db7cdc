import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// The real binary on loopback: a coordinator and three worker processes run a sweep to completion.
@Suite("EndToEnd", .serialized)
struct EndToEndTests {
    @Test func threeWorkersCompleteASweep() async throws {
        let c = try TestCluster(name: "e2e")
        defer { c.tearDown() }
        try c.writeSweep(models: 2, shards: 4, samples: 25, sampleMs: 1)
        try c.startCoordinator()
        for w in ["w0", "w1", "w2"] { try c.startWorker(w) }
        #expect(await TestCluster.wait(c.coordinator!, seconds: 90), "coordinator did not finish: \(c.output("coordinator.out"))")
        #expect(c.coordinator!.terminationStatus == 0)
        for (name, p) in c.workers {
            #expect(await TestCluster.wait(p, seconds: 10), "worker \(name) did not exit after the sweep")
        }
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.units == 2 + 2 * 2 * 4)
        #expect(check.notDone.isEmpty, "units not done: \(check.notDone)")
        #expect(check.samples == 2 * 2 * 4 * 25)
        #expect(check.wrongScores == 0)
        #expect(check.incomplete.isEmpty, "units with missing samples: \(check.incomplete)")
        // Every worker took part.
        let used = Set(try check.store.db.rows("SELECT DISTINCT worker FROM samples") { $0.text(0) ?? "" })
        #expect(used.count >= 2, "work was not spread: \(used)")
        // Re-running the same command reuses everything.
        let plan = try c.start(["plan", c.dir + "/sweep.toml"], log: "plan.out")
        #expect(await TestCluster.wait(plan, seconds: 30))
        #expect(c.output("plan.out").contains("\(check.units) done, reused"), "\(c.output("plan.out"))")
    }

    /// Unit work that blocks its thread far longer than the heartbeat expiry (2 s here) does not
    /// make the worker look dead: heartbeats run on the worker's own I/O thread.
    @Test func blockingWorkDoesNotStallHeartbeats() async throws {
        // Expiry 2 s (400 ms × 5): far below the 4 s block, far above a loaded machine's scheduling delays.
        let c = try TestCluster(name: "block", leaseSeconds: 30, heartbeatMs: 400, liveness: 5)
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 1, samples: 2, sampleMs: 0,
                         extraTask: "[[tasks]]\nname = \"slow\"\nsuite = \"synthetic\"\n[tasks.params]\nsamples = 2\nblock_ms = 4000\n")
        try c.startCoordinator()
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 60), "\(c.output("coordinator.out"))")
        let log = c.output("coordinator.out")
        #expect(!log.contains("presumed lost"), "the worker looked dead while blocked: \(log)")
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty)
        let epochs = try check.store.db.rows("SELECT MAX(epoch) FROM units") { $0.int(0) }.first
        #expect(epochs == 1, "a unit was leased twice")
    }

    @Test func unlistedCurveKeyIsRefused() async throws {
        let c = try TestCluster(name: "curve")
        defer { c.tearDown() }
        try await c.enableCurve(allowed: ["good"], unlisted: ["bad"])
        try c.writeSweep(models: 1, shards: 2, samples: 5, sampleMs: 0)
        try c.startCoordinator()
        try c.startWorker("bad")
        #expect(await TestCluster.wait(c.workers["bad"]!, seconds: 30), "the unlisted worker kept running")
        #expect(c.workers["bad"]!.terminationStatus != 0)
        #expect(c.output("bad.out").contains("refused this worker's CURVE key"), "\(c.output("bad.out"))")
        try c.startWorker("good")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 60), "\(c.output("coordinator.out"))")
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty)
        #expect(c.output("coordinator.out").contains("unlisted key"))
    }
}
}

/// Reads a finished sweep back and checks it: every unit done, every sample present once with the
/// score the synthetic executor computes for it.
struct SweepCheck {
    let store: StateStore
    var units = 0
    var samples = 0
    var notDone: [String] = []
    var incomplete: [String] = []
    var wrongScores = 0

    init(path: String, sweep: String) throws {
        store = try StateStore(path: path, readOnly: true)
        let records = try store.sweepRecords(sweep: sweep)
        units = records.count
        for r in records {
            if r.state != .done { notDone.append("\(r.spec.slot)=\(r.state.rawValue)") }
            guard r.spec.kind == .eval else { continue }
            let stored = try store.samples(unit: r.spec.id)
            samples += stored.count
            let expected = r.spec.task?.params["samples"]?.intValue ?? 20
            if stored.map(\.index) != Array(0..<expected) { incomplete.append(r.spec.slot) }
            for s in stored where s.scores["score"] != Self.syntheticScore(unit: r.spec.id, index: s.index) { wrongScores += 1 }
        }
    }

    static func syntheticScore(unit: String, index: Int) -> Double {
        let h = Digest.sha256Hex("\(unit)#\(index)")
        return Double(Int(h.prefix(4), radix: 16) ?? 0) / 65536
    }
}
