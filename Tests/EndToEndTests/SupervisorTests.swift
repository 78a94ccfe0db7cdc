import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// `acbench worker --cpu-slots N`: one supervised child per slot, restarted when it dies, drained by
/// SIGTERM, and taken down with the supervisor when that is killed.
@Suite("Supervisor", .serialized)
struct SupervisorTests {
    /// Starts a supervisor of `slots` CPU workers named sup-0…; returns it and its children's pids.
    func startSupervisor(_ c: TestCluster, slots: Int) async throws -> (Process, [Int32]) {
        let sup = try c.start(["worker", "--cpu-slots", String(slots), "--name", "sup"], log: "sup.out")
        var kids: [Int32] = []
        let up = await TestCluster.until(seconds: 30) {
            kids = ProcessTree.children(of: sup.processIdentifier)
            return kids.count == slots
        }
        guard up else { throw TestError("supervisor has \(kids.count) children: \(c.output("sup.out"))") }
        return (sup, kids)
    }

    @Test func childrenRunTheSweepAndARestartFollowsACrash() async throws {
        let c = try TestCluster(name: "sup", leaseSeconds: 2)
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 6, samples: 30, sampleMs: 20)
        try c.startCoordinator()
        let (sup, kids) = try await startSupervisor(c, slots: 2)
        defer { TestCluster.kill(sup) }
        usleep(1_500_000)
        kill(kids[0], SIGKILL)
        #expect(await TestCluster.until(seconds: 20) { ProcessTree.children(of: sup.processIdentifier).count == 2 &&
                                                  !ProcessTree.children(of: sup.processIdentifier).contains(kids[0]) },
                "the killed worker was not restarted: \(c.output("sup.out"))")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 90), "\(c.output("coordinator.out").suffix(2000))")
        #expect(await TestCluster.wait(sup, seconds: 20), "the supervisor did not exit after the sweep")
        #expect(sup.terminationStatus == 0, "\(c.output("sup.out"))")
        #expect(c.output("sup.out").contains("restarting in"))
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty && check.incomplete.isEmpty && check.wrongScores == 0)
        let used = Set(try check.store.db.rows("SELECT DISTINCT worker FROM samples") { $0.text(0) ?? "" })
        #expect(used == ["sup-0", "sup-1"], "\(used)")
        for name in ["sup-0", "sup-1"] {
            #expect(FileManager.default.fileExists(atPath: c.dir + "/logs/worker-\(name).log"), "no log of its own for \(name)")
        }
    }

    @Test func sigkillOfTheSupervisorTakesTheChildrenDown() async throws {
        let c = try TestCluster(name: "supkill", leaseSeconds: 30)
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 4, samples: 500, sampleMs: 20)
        try c.startCoordinator()
        let (sup, kids) = try await startSupervisor(c, slots: 2)
        usleep(1_000_000)
        TestCluster.kill(sup)
        #expect(await TestCluster.until(seconds: 10) { kids.allSatisfy { !ProcessTree.alive($0) } },
                "children outlived the supervisor: \(kids.filter(ProcessTree.alive))")
        // They handed their leases back on the way out: no unit waits for a lease to expire.
        #expect(await TestCluster.until(seconds: 5) { c.output("coordinator.out").contains("leaving") })
    }

    @Test func sigtermDrainsEveryChild() async throws {
        let c = try TestCluster(name: "supterm", leaseSeconds: 30)
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 4, samples: 40, sampleMs: 25)
        try c.startCoordinator(extra: ["--stay-up"])
        let (sup, kids) = try await startSupervisor(c, slots: 2)
        var opened: StateStore?  // the coordinator may not have created the database yet
        #expect(await TestCluster.until(seconds: 30) {
            if opened == nil { opened = try? StateStore(path: c.statePath, readOnly: true) }
            return (try? opened?.db.rows("SELECT COUNT(*) FROM units WHERE state = 'running' AND kind = 'eval'") { $0.int(0) })??.first == 2
        })
        let store = try #require(opened)
        kill(sup.processIdentifier, SIGTERM)
        #expect(await TestCluster.wait(sup, seconds: 30), "the supervisor did not exit after SIGTERM")
        #expect(sup.terminationStatus == 0, "\(c.output("sup.out"))")
        #expect(kids.allSatisfy { !ProcessTree.alive($0) })
        // Each child finished the unit it held, then left; nothing was lost or failed. (A child whose
        // ASSIGN was still on the wire when SIGTERM came hands that unit back instead.) The children
        // have exited, but the coordinator may still be committing their last FINISH and LEAVING.
        func count(_ sql: String) throws -> Int { try store.db.rows(sql) { $0.int(0) }.first ?? 0 }
        let done = "SELECT COUNT(*) FROM units WHERE state = 'done' AND kind = 'eval'"
        let running = "SELECT COUNT(*) FROM units WHERE state = 'running'"
        let leaving = "SELECT COUNT(DISTINCT worker) FROM events WHERE kind = 'worker_leaving'"
        let released = "SELECT COUNT(*) FROM attempts WHERE outcome = 'released'"
        _ = try await TestCluster.until(seconds: 10) { try count(leaving) == 2 && count(running) == 0 }
        #expect(try count(leaving) == 2)
        #expect(try count(running) == 0, "a lease outlived its worker")
        #expect(try count("SELECT COUNT(*) FROM attempts WHERE outcome = 'failed'") == 0)
        let (finished, handedBack) = (try count(done), try count(released))
        #expect(finished >= 1 && finished + handedBack >= 2,
                "the running units were neither finished nor handed back: done \(finished), released \(handedBack)")
    }
}
}
