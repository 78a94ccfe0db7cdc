import Testing
@testable import Coordinator
@testable import Protocol

/// Artifacts without shared storage: eval units stay on the host holding their artifact, and the
/// artifact is made again elsewhere once that host has had no live worker for an eval lease.
@Suite("ArtifactHosts")
struct ArtifactHostTests {
    static func config(shared: Bool) -> ClusterConfig {
        var c = ClusterConfig()
        c.paths.artifactsShared = shared
        c.lease.evalTTLSeconds = 60
        return c
    }

    /// w1 on host-a compresses; returns the harness, the compress unit and the eval unit.
    func compressedOnHostA(shared: Bool) throws -> (Harness, UnitSpec, UnitSpec) {
        let h = try Harness(config: Self.config(shared: shared), methods: [Fixture.rtn])
        let c = try h.lease("w1", peer: p1, at: t0)
        #expect(c.unit.kind == .compress)
        let art = ArtifactInfo(path: "/artifacts/\(c.unit.id)", digest: "d", bytes: 10, host: "host-a")
        h.send(p1, .finish(FinishMessage(unit: c.unit.id, epoch: 1, seq: 1, outcome: .done, sampleCount: 0, artifact: art)), at: t0 + 1)
        h.ready("w2", peer: p2, capabilities: Fixture.capabilities(host: "host-b"), at: t0 + 1)
        let eval = try #require(h.units.first { $0.kind == .eval && $0.dependsOn == [c.unit.id] })
        return (h, c.unit, eval)
    }

    @Test("an eval unit waits for its artifact's host instead of running on another")
    func evalStaysOnTheArtifactHost() throws {
        let (h, _, eval) = try compressedOnHostA(shared: false)
        #expect(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 2)).isEmpty, "host-b took an eval unit of host-a's artifact")
        let a = try #require(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 2)).first)
        #expect(a.unit.id == eval.id)
    }

    @Test("the artifact's host gone for longer than an eval lease: compress again, elsewhere")
    func recompressWhenTheHostIsGone() throws {
        let (h, compress, eval) = try compressedOnHostA(shared: false)
        // w1 falls silent; host-b keeps asking.
        for t in stride(from: 2.0, through: 60, by: 2) {
            h.engine.tick(now: t0 + t)
            h.send(p2, .heartbeat, at: t0 + t)
        }
        #expect(try h.record(compress.id).state == .done, "re-compressed before a lease had passed")
        #expect(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 61)).isEmpty)
        h.engine.tick(now: t0 + 67)  // host-a last seen at t0 + 6: gone for 61 s
        #expect(try h.record(compress.id).state == .pending)
        #expect(try h.store.artifact(unit: compress.id) == nil)
        let events = try h.store.db.rows("SELECT detail FROM events WHERE kind = 'artifact_lost'") { $0.text(0) ?? "" }
        #expect(events.count == 1 && events[0].contains("host-a"), "\(events)")
        let again = try #require(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 67.5)).first)
        #expect(again.unit.id == compress.id)
        let art = ArtifactInfo(path: "/b/\(compress.id)", digest: "d", bytes: 10, host: "host-b")
        h.send(p2, .finish(FinishMessage(unit: compress.id, epoch: again.epoch, seq: 1, outcome: .done, sampleCount: 0, artifact: art)),
               at: t0 + 68)
        let e = try #require(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 68.5)).first)
        #expect(e.unit.id == eval.id && e.artifact?.host == "host-b")
    }

    @Test("nothing is re-compressed with shared storage, or when no eval unit needs the artifact")
    func noRecompressWhenNotNeeded() throws {
        let (shared, compress, _) = try compressedOnHostA(shared: true)
        shared.engine.tick(now: t0 + 500)
        #expect(try shared.record(compress.id).state == .done)
        let (h, c2, eval) = try compressedOnHostA(shared: false)
        let a = try #require(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 2)).first)
        #expect(a.unit.id == eval.id)
        h.send(p1, .finish(FinishMessage(unit: eval.id, epoch: a.epoch, seq: 1, outcome: .done, sampleCount: 0)), at: t0 + 3)
        h.engine.tick(now: t0 + 500)
        #expect(try h.record(c2.id).state == .done)
    }

    @Test("a worker restricted to compress units never gets an eval unit")
    func compressOnlyWorker() throws {
        let h = try Harness(config: Self.config(shared: true), methods: [Fixture.none, Fixture.rtn])
        h.ready("cpu", peer: p3, capabilities: Fixture.capabilities(host: "big-cpu", gpus: [], kinds: [.compress]), at: t0)
        let a = try #require(assigns(h.send(p3, .ask(AskMessage()), at: t0)).first)
        #expect(a.unit.kind == .compress)
        h.send(p3, .finish(FinishMessage(unit: a.unit.id, epoch: a.epoch, seq: 1, outcome: .done, sampleCount: 0,
                                         artifact: ArtifactInfo(path: "/x", digest: "d", bytes: 1, host: "big-cpu"))), at: t0 + 1)
        #expect(assigns(h.send(p3, .ask(AskMessage()), at: t0 + 2)).isEmpty)
    }
}
