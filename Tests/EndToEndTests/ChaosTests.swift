import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// Kills workers and the coordinator with SIGKILL at random moments of a 202-unit × 20-sample
/// sweep and restarts them; at the end every sample is stored exactly once with the right content.
@Suite("Chaos", .serialized)
struct ChaosTests {
    @Test func sigkillWorkersAndCoordinator() async throws {
        let c = try TestCluster(name: "chaos", leaseSeconds: 2)
        defer { c.tearDown() }
        try c.writeSweep(models: 2, shards: 50, samples: 20, sampleMs: 6)
        var rng = SplitMix(seed: 20261129)
        let names = ["w0", "w1", "w2"]
        try c.startCoordinator()
        for w in names { try c.startWorker(w) }
        var coordinatorKills = 0, workerKills = 0
        var nextChaos = Date().addingTimeInterval(0.5)
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline {
            try await Task.sleep(nanoseconds: 20_000 * 1000)
            let coord = c.coordinator!
            if !coord.isRunning {
                if coord.terminationReason == .exit && coord.terminationStatus == 0 { break }
                try c.startCoordinator()   // it was killed: resume by re-running the same command
            }
            for w in names where !(c.workers[w]?.isRunning ?? false) {
                let p = c.workers[w]!
                if !(p.terminationReason == .exit && p.terminationStatus == 0) { try c.startWorker(w) }
            }
            guard Date() >= nextChaos, coordinatorKills + workerKills < 14 else { continue }
            nextChaos = Date().addingTimeInterval(0.25 + Double(rng.next() % 400) / 1000)
            if (coordinatorKills + workerKills) % 3 == 1 && coordinatorKills < 4 {
                TestCluster.kill(c.coordinator); coordinatorKills += 1
            } else {
                let w = names[Int(rng.next() % 3)]
                TestCluster.kill(c.workers[w]); workerKills += 1
            }
        }
        #expect(c.coordinator!.terminationReason == .exit && c.coordinator!.terminationStatus == 0,
                "sweep did not finish after \(coordinatorKills) coordinator and \(workerKills) worker kills")
        #expect(coordinatorKills >= 3 && workerKills >= 5, "too little chaos: \(coordinatorKills)/\(workerKills)")
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.units == 202)
        #expect(check.notDone.isEmpty, "units not done: \(check.notDone.prefix(5))")
        #expect(check.samples == 200 * 20)
        #expect(check.incomplete.isEmpty, "units with missing samples: \(check.incomplete.prefix(5))")
        #expect(check.wrongScores == 0)
        #expect(try check.store.integrityCheck() == "ok")
        let attempts = try check.store.db.rows("SELECT COUNT(*) FROM attempts WHERE outcome = 'failed'") { $0.int(0) }.first ?? 0
        #expect(attempts > 0, "no lease was ever lost: the chaos did not hit running units")
    }
}
}

/// A small seeded generator (tests must be reproducible).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
