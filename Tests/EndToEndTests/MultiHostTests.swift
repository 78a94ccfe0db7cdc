import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// The coordinator and the workers on separate "hosts": network namespaces joined by a bridge,
/// made by the test (root and `ip netns` needed), CURVE on, talking over the namespaces' addresses.
@Suite("MultiHost", .serialized)
struct MultiHostTests {
    static let skip = "needs root and a working `ip netns` (run the tests as root on Linux)"

    @Test(.enabled(if: NetLab.unavailable() == nil, Comment(rawValue: skip)))
    func sweepAcrossNamespacesWithCurve() async throws {
        let lab = try NetLab()
        defer { lab.tearDown() }
        let head = try lab.addHost("head"), a = try lab.addHost("a"), b = try lab.addHost("b")
        let c = try TestCluster(name: "multihost", extraConfig: "[paths]\nartifacts_shared = false\n",
                                leaseSeconds: 10, bindHost: head.address)
        defer { c.tearDown() }
        try await c.enableCurve(allowed: ["wa", "wb"])
        try c.writeSweep(models: 2, shards: 3, samples: 15, sampleMs: 5)
        try c.startCoordinator(netns: head.namespace)
        try c.startWorker("wa", extra: ["--host", "host-a"], netns: a.namespace)
        try c.startWorker("wb", extra: ["--host", "host-b"], netns: b.namespace)
        #expect(await TestCluster.wait(c.coordinator!, seconds: 120), "coordinator did not finish: \(c.output("coordinator.out"))")
        #expect(c.coordinator!.terminationStatus == 0)
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.units == 2 + 2 * 2 * 3)
        #expect(check.notDone.isEmpty, "units not done: \(check.notDone)")
        #expect(check.samples == 2 * 2 * 3 * 15 && check.wrongScores == 0 && check.incomplete.isEmpty)
        let prov = Provenance(store: check.store)
        let hosts = try prov.workerHosts()
        #expect(hosts == ["wa": "host-a", "wb": "host-b"], "\(hosts)")
        // Without shared storage, every eval unit of a compressed artifact ran on the artifact's host.
        let artifacts = try check.store.artifacts(sweep: "e2e")
        #expect(artifacts.count == 2)
        for r in try check.store.sweepRecords(sweep: "e2e") where r.spec.kind == .eval {
            guard let dep = r.spec.dependsOn.first else { continue }
            let home = try #require(artifacts[dep]?.host)
            let ran = try prov.sampleWorkers(r.spec.id).map { hosts[$0] ?? "?" }
            #expect(ran.allSatisfy { $0 == home }, "\(r.spec.slot) ran on \(ran), its artifact is on \(home)")
        }
        #expect(Set(try check.store.db.rows("SELECT DISTINCT worker FROM samples") { $0.text(0) ?? "" }).count == 2)
        let status = try c.start(["status"], log: "status.out")
        #expect(await TestCluster.wait(status, seconds: 30))
        #expect(c.output("status.out").contains("artifacts (local to each host)"), "\(c.output("status.out"))")
        #expect(artifacts.values.allSatisfy { c.output("status.out").contains($0.host) })
    }

    /// A worker's link is cut for longer than its lease, then restored: its unit is re-run by the
    /// other worker, the results it produced meanwhile are refused, nothing is stored twice.
    @Test(.enabled(if: NetLab.unavailable() == nil, Comment(rawValue: skip)))
    func partitionedWorkerIsReplacedAndItsLateResultsRefused() async throws {
        let lab = try NetLab()
        defer { lab.tearDown() }
        let head = try lab.addHost("head"), a = try lab.addHost("a"), b = try lab.addHost("b")
        let lease = 2.0
        let c = try TestCluster(name: "partition", extraConfig: "[paths]\nartifacts_shared = true\n",
                                leaseSeconds: lease, bindHost: head.address)
        defer { c.tearDown() }
        try await c.enableCurve(allowed: ["w1", "w2"])
        try c.writeSweep(models: 1, shards: 6, samples: 60, sampleMs: 40)
        try c.startCoordinator(extra: ["--log-level", "debug"], netns: head.namespace)
        try c.startWorker("w1", netns: a.namespace)
        try c.startWorker("w2", netns: b.namespace)

        // Wait until w1 is part-way through an eval unit, then cut its link.
        var victim: (unit: String, epoch: Int)?
        #expect(await TestCluster.until(seconds: 60) {
            guard let store = try? StateStore(path: c.statePath, readOnly: true) else { return false }
            victim = try? store.db.rows("""
                SELECT u.id, u.epoch FROM units u WHERE u.state = 'running' AND u.worker = 'w1' AND u.kind = 'eval'
                AND (SELECT COUNT(*) FROM samples s WHERE s.unit_id = u.id) BETWEEN 3 AND 30
                """) { ($0.text(0) ?? "", $0.int(1)) }.first ?? nil
            return victim != nil
        }, "w1 never ran an eval unit: \(c.output("coordinator.out").suffix(2000))")
        let (unit, epoch) = try #require(victim)
        try lab.setLink("a", up: false)
        let cutAt = Date()
        let store = try StateStore(path: c.statePath, readOnly: true)
        let movedOn = try await TestCluster.until(seconds: 90) {
            try store.db.rows("SELECT epoch, worker FROM units WHERE id = ?", [.text(unit)]) { ($0.int(0), $0.text(1)) }
                .first.map { $0.0 > epoch && $0.1 == "w2" } ?? false
        }
        #expect(movedOn, "the cut-off unit was not handed to w2")
        usleep(UInt32(max(0, lease + 2 - Date().timeIntervalSince(cutAt)) * 1_000_000))
        try lab.setLink("a", up: true)

        #expect(await TestCluster.wait(c.coordinator!, seconds: 120), "coordinator did not finish: \(c.output("coordinator.out").suffix(3000))")
        #expect(c.coordinator!.terminationStatus == 0)
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty, "units not done: \(check.notDone)")
        #expect(check.samples == 2 * 6 * 60 && check.wrongScores == 0 && check.incomplete.isEmpty)
        let prov = Provenance(store: check.store)
        #expect(try prov.orphanSamples() == 0, "samples stored from a lease their worker did not hold")
        #expect(try prov.lateSamples() == 0, "samples stored after their lease ended")
        let attempts = try prov.attempts(unit)
        let first = try #require(attempts.first { $0.epoch == epoch })
        #expect(first.worker == "w1" && first.outcome == "failed", "\(attempts)")
        #expect(first.samples > 0 && first.samples < 60, "\(attempts)")
        #expect(attempts.last?.worker == "w2" && attempts.last?.outcome == "done", "\(attempts)")
        #expect(attempts.reduce(0) { $0 + $1.samples } == 60, "\(attempts)")
        // w1 came back and replayed what it made while cut off: refused, and it was told to stop.
        let log = c.output("coordinator.out")
        #expect(log.contains("refused result \(unit)@\(epoch)#") && log.contains("from w1: stale epoch"),
                "no late result of w1 was refused")
        #expect(c.output("w1.out").contains("cancelled by the coordinator"), "\(c.output("w1.out").suffix(2000))")
    }
}
}
