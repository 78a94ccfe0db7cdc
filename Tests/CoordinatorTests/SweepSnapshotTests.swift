import Testing
@testable import Coordinator

@Suite("SweepSnapshot")
struct SweepSnapshotTests {
    func snapshot(done: Double, atStart: Double, elapsed: Double) -> SweepSnapshot {
        SweepSnapshot(sweep: "s", counts: [:], total: 10, samples: 0, costDone: done, costTotal: 100,
                      costDoneAtStart: atStart, workers: [], elapsed: elapsed)
    }

    @Test func etaExtrapolatesFromThisRunsProgress() throws {
        // 20 of 100 cost units in 60 s: 80 left at the same rate is 240 s.
        #expect(try #require(snapshot(done: 20, atStart: 0, elapsed: 60).eta) == 240)
    }

    @Test func reusedWorkDoesNotCountAsSpeed() throws {
        // A resumed sweep: 70 were done before this run, 10 more in 60 s: 20 left is 120 s.
        #expect(try #require(snapshot(done: 80, atStart: 70, elapsed: 60).eta) == 120)
        // Nothing finished in this run yet: no estimate rather than one that grows with time.
        #expect(snapshot(done: 70, atStart: 70, elapsed: 600).eta == nil)
    }
}
