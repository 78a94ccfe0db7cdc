import Foundation
import Logging
import Testing
@testable import Coordinator
@testable import Protocol

@Suite("CoordinatorEngine")
struct CoordinatorEngineTests {
    @Test("READY → ASK → ASSIGN with epoch 1, persisted as a lease")
    func readyAskAssign() throws {
        let h = try Harness()
        #expect(h.ready("w1", peer: p1, at: t0).isEmpty)
        #expect(h.engine.workers["w1"]?.state == .idle)
        let out = h.send(p1, .ask(AskMessage()), at: t0 + 1)
        #expect(out.count == 1)
        #expect(out.first?.peer == p1)
        let a = try #require(assigns(out).first)
        #expect(a.unit.id == h.evalUnit.id)
        #expect(a.epoch == 1 && a.attempt == 1)
        #expect(a.leaseSeconds == h.config.lease.evalTTLSeconds)
        #expect(a.completed.isEmpty && a.artifact == nil && a.hints == RetryHints())
        let r = try h.record(h.evalUnit.id)
        #expect(r.state == .running && r.epoch == 1 && r.worker == "w1")
        #expect(r.leaseExpires == t0 + 1 + h.config.lease.evalTTLSeconds)
        #expect(h.engine.workers["w1"]?.state == .busy && h.engine.workers["w1"]?.unit == h.evalUnit.id)
        #expect(try h.store.db.rows("SELECT worker FROM attempts WHERE unit_id = ? AND epoch = 1", [.text(a.unit.id)]) { $0.text(0) } == ["w1"])
        // Nothing is left for a second worker: NOWORK, and the sweep is not done.
        h.ready("w2", peer: p2, at: t0 + 2)
        let nw = try #require(noWorks(h.send(p2, .ask(AskMessage()), at: t0 + 2)).first)
        #expect(!nw.sweepDone && nw.retryAfterMs > 0)
    }

    @Test("the workers table follows state changes at once and heartbeats every 30 s (for `status`)")
    func workerRowsFollowTheSession() throws {
        let h = try Harness()
        func row() throws -> [String] {
            try #require(try h.store.db.rows("SELECT state, coalesce(unit_id, ''), last_seen FROM workers WHERE name = 'w1'") {
                [$0.text(0) ?? "", $0.text(1) ?? "", String($0.double(2))]
            }.first)
        }
        h.ready("w1", peer: p1, at: t0)
        #expect(try row() == ["idle", "", String(t0)])
        _ = h.send(p1, .ask(AskMessage()), at: t0 + 1)
        #expect(try row() == ["busy", h.evalUnit.id, String(t0 + 1)])
        _ = h.send(p1, .heartbeat, at: t0 + 10)
        #expect(try row()[2] == String(t0 + 1), "a heartbeat soon after a write does not write")
        _ = h.send(p1, .heartbeat, at: t0 + 40)
        #expect(try row()[2] == String(t0 + 40))
    }

    @Test("a compress unit goes first, and its artifact travels with the eval ASSIGN")
    func compressThenEval() throws {
        let h = try Harness(methods: [Fixture.rtn])
        let a = try h.lease("w1", peer: p1, at: t0)
        #expect(a.unit.kind == .compress)
        let art = ArtifactInfo(path: "/artifacts/x", digest: "abc", bytes: 1234, host: "host-a")
        let out = h.send(p1, .finish(FinishMessage(unit: a.unit.id, epoch: 1, seq: 1, outcome: .done, sampleCount: 0,
                                                    summary: ["layers": 30], artifact: art)), at: t0 + 1)
        #expect(acks(out).map(\.seqs) == [[1]])
        #expect(try h.record(a.unit.id).state == .done)
        #expect(try h.store.artifact(unit: a.unit.id) == art)
        let e = try #require(assigns(h.send(p1, .ask(AskMessage(serving: a.unit.id)), at: t0 + 2)).first)
        #expect(e.unit.kind == .eval && e.unit.dependsOn == [a.unit.id])
        #expect(e.artifact == art)
    }

    @Test("RESULT is acked only after the commit, and stored once when replayed")
    func resultAckAfterFlush() throws {
        let h = try Harness()
        let a = try h.lease("w1", peer: p1, at: t0)
        let u = a.unit.id
        #expect(h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 1).isEmpty, "no ACK before the commit")
        #expect(try h.store.storedIndices(unit: u).isEmpty)
        #expect(h.engine.pendingCount == 1)
        // The commit interval has not passed yet.
        #expect(acks(h.engine.tick(now: t0 + 1.005)).isEmpty)
        #expect(try h.store.storedIndices(unit: u).isEmpty)
        let out = h.engine.tick(now: t0 + 1.5)
        #expect(out.map(\.peer) == [p1])
        #expect(acks(out) == [AckMessage(unit: u, epoch: 1, seqs: [1])])
        #expect(try h.store.storedIndices(unit: u) == [0])

        // A replay (the worker reconnected before it saw the ACK) is acknowledged again, not stored twice.
        #expect(h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 2).isEmpty)
        h.send(p1, h.result(u, epoch: 1, seq: 2, index: 1), at: t0 + 2)
        #expect(acks(h.engine.flush(now: t0 + 2)).flatMap(\.seqs).sorted() == [1, 2])
        h.send(p1, h.result(u, epoch: 1, seq: 2, index: 1), at: t0 + 3)
        #expect(acks(h.engine.flush(now: t0 + 3)).flatMap(\.seqs) == [2])
        #expect(try h.sampleRows(u) == 2)
        #expect(try h.record(u).stored == 2)
        #expect(h.engine.samplesCommitted == 2)
        #expect(h.engine.flush(now: t0 + 4).isEmpty, "nothing pending, nothing acked")
    }

    @Test("a full batch is committed at once")
    func commitBatch() throws {
        var config = ClusterConfig()
        config.coordinator.commitBatch = 2
        let h = try Harness(config: config)
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        #expect(h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0).isEmpty)
        let out = h.send(p1, h.result(u, epoch: 1, seq: 2, index: 1), at: t0)
        #expect(acks(out).flatMap(\.seqs).sorted() == [1, 2])
        #expect(try h.store.storedIndices(unit: u) == [0, 1])
    }

    @Test("RESULT with a stale epoch or from another worker gets CANCEL and is not stored")
    func staleResults() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        let stale = h.send(p1, h.result(u, epoch: 2, seq: 1, index: 0), at: t0 + 1)
        #expect(stale.map(\.peer) == [p1])
        #expect(cancels(stale).map(\.epoch) == [2])
        #expect(cancels(stale).first?.unit == u)
        let older = h.send(p1, h.result(u, epoch: 0, seq: 1, index: 0), at: t0 + 1)
        #expect(cancels(older).map(\.epoch) == [0])

        h.ready("w2", peer: p2, at: t0 + 1)
        let other = h.send(p2, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 2)
        #expect(other.map(\.peer) == [p2])
        let c = try #require(cancels(other).first)
        #expect(c.unit == u && c.epoch == 1 && c.reason.contains("w1"))
        #expect(!cancels(h.send(p2, .progress(ProgressMessage(unit: u, epoch: 1, done: 1, total: 3)), at: t0 + 2)).isEmpty)
        #expect(!cancels(h.send(p2, .finish(FinishMessage(unit: u, epoch: 1, seq: 2, outcome: .done, sampleCount: 0)), at: t0 + 2)).isEmpty)
        // A unit that is not in the sweep.
        #expect(!cancels(h.send(p1, h.result("nope", epoch: 1, seq: 1, index: 0), at: t0 + 2)).isEmpty)

        #expect(acks(h.engine.flush(now: t0 + 3)).isEmpty)
        #expect(try h.sampleRows(u) == 0)
        let r = try h.record(u)
        #expect(r.state == .running && r.epoch == 1 && r.worker == "w1")
    }

    @Test("FINISH with fewer stored samples than claimed does not mark the unit done")
    func finishShort() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 1)
        let out = h.send(p1, .finish(FinishMessage(unit: u, epoch: 1, seq: 2, outcome: .done, sampleCount: 3)), at: t0 + 2)
        #expect(acks(out).flatMap(\.seqs).sorted() == [1, 2], "the RESULT is committed, the FINISH answered")
        #expect(cancels(out).map(\.epoch) == [1])
        var r = try h.record(u)
        #expect(r.state != .done)
        #expect(r.state == .pending)
        #expect(r.failureClass == .internalError)
        #expect(r.failureMessage?.contains("3") == true && r.failureMessage?.contains("1") == true)
        #expect(!h.engine.isSweepFinished)

        // The retry continues from the first unscored sample and can then finish.
        let again = try #require(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 2 + h.config.retry.backoffInitialSeconds + 1)).first)
        #expect(again.epoch == 2 && again.completed == [[0, 0]])
        h.send(p1, h.result(u, epoch: 2, seq: 1, index: 1), at: t0 + 10)
        h.send(p1, h.result(u, epoch: 2, seq: 2, index: 2), at: t0 + 10)
        let done = h.send(p1, .finish(FinishMessage(unit: u, epoch: 2, seq: 3, outcome: .done, sampleCount: 3, summary: ["mean": 1])),
                          at: t0 + 11)
        #expect(acks(done).flatMap(\.seqs).sorted() == [1, 2, 3])
        r = try h.record(u)
        #expect(r.state == .done && r.sampleTotal == 3 && r.summary == ["mean": 1] && r.stored == 3)
        #expect(h.engine.isSweepFinished)
        // A replayed FINISH is acknowledged again and changes nothing.
        let replay = h.send(p1, .finish(FinishMessage(unit: u, epoch: 2, seq: 3, outcome: .done, sampleCount: 3)), at: t0 + 12)
        #expect(acks(replay).map(\.seqs) == [[3]] && cancels(replay).isEmpty)
        #expect(try h.record(u).state == .done)
        // So is a replayed RESULT of the finished epoch.
        #expect(acks(h.send(p1, h.result(u, epoch: 2, seq: 2, index: 2), at: t0 + 12)).map(\.seqs) == [[2]])
        #expect(try h.sampleRows(u) == 3)
        #expect(noWorks(h.send(p1, .ask(AskMessage()), at: t0 + 13)).first?.sweepDone == true)
    }

    @Test("PROGRESS renews the lease; lease expiry requeues with a new epoch and counts lost_worker")
    func leaseExpiry() throws {
        var config = ClusterConfig()
        config.lease.evalTTLSeconds = 10
        let h = try Harness(config: config)
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        h.send(p1, .progress(ProgressMessage(unit: u, epoch: 1, done: 0, total: 3)), at: t0 + 5)
        h.send(p1, .heartbeat, at: t0 + 9)
        #expect(cancels(h.engine.tick(now: t0 + 11)).isEmpty, "progress at +5 renewed the lease to +15")
        #expect(try h.record(u).state == .running)
        h.send(p1, .heartbeat, at: t0 + 14)
        let out = h.engine.tick(now: t0 + 15.5)
        #expect(cancels(out).map(\.epoch) == [1])
        let r = try h.record(u)
        #expect(r.state == .pending && r.epoch == 1)
        #expect(r.failureClass == .lostWorker)
        #expect(r.classAttempts[FailureClass.lostWorker.rawValue] == 1)
        #expect(r.retryAfter <= t0 + 15.5, "a lost worker is retried without backoff")
        #expect(try h.store.db.rows("SELECT failure_class FROM attempts WHERE unit_id = ? AND epoch = 1", [.text(u)]) { $0.text(0) } == ["lost_worker"])

        // The zombie's late results are refused.
        #expect(cancels(h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 16)).map(\.epoch) == [1])
        #expect(acks(h.engine.flush(now: t0 + 16)).isEmpty)
        #expect(try h.sampleRows(u) == 0)
        // The next lease has a new epoch.
        h.ready("w2", peer: p2, at: t0 + 16)
        let a = try #require(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 16)).first)
        #expect(a.unit.id == u && a.epoch == 2 && a.attempt == 2)
    }

    @Test("a failure class with budget 0 goes straight to failed")
    func budgetZero() throws {
        var config = ClusterConfig()
        config.retry.budgets[.timeout] = 0
        for failure in [FailureClass.badModel, .dataMissing, .timeout] {
            let h = try Harness(config: config)
            let u = try h.lease("w1", peer: p1, at: t0).unit.id
            let out = h.send(p1, .finish(FinishMessage(unit: u, epoch: 1, seq: 1, outcome: .failed, sampleCount: 0,
                                                        failure: failure, message: "boom")), at: t0 + 1)
            #expect(acks(out).map(\.seqs) == [[1]])
            let r = try h.record(u)
            #expect(r.state == .failed, "\(failure)")
            #expect(r.failureClass == failure && r.failureMessage == "boom")
            #expect(h.engine.isSweepFinished)
            #expect(noWorks(h.send(p1, .ask(AskMessage()), at: t0 + 1000)).first?.sweepDone == true)
        }
    }

    @Test("an out-of-memory retry backs off and sends RetryHints with a lower GPU utilisation")
    func outOfMemory() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        let oom = { (epoch: Int) in
            WireMessage.finish(FinishMessage(unit: u, epoch: epoch, seq: 1, outcome: .failed, sampleCount: 0,
                                             failure: .outOfMemory, message: "CUDA out of memory"))
        }
        h.send(p1, oom(1), at: t0)
        var r = try h.record(u)
        #expect(r.state == .pending && r.retryAfter == t0 + h.config.retry.backoffInitialSeconds)
        #expect(!noWorks(h.send(p1, .ask(AskMessage()), at: t0 + 1)).isEmpty, "backoff not over")
        let a2 = try #require(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 6)).first)
        #expect(a2.epoch == 2)
        let u2 = try #require(a2.hints.gpuMemoryUtilization)
        #expect(u2 < 0.9 && abs(u2 - 0.8) < 1e-9)
        #expect(a2.hints.maxModelLen == GenerationSettings().maxModelLen / 2)

        h.send(p1, oom(2), at: t0 + 7)
        r = try h.record(u)
        #expect(r.retryAfter == t0 + 7 + 2 * h.config.retry.backoffInitialSeconds, "backoff doubles")
        #expect(!noWorks(h.send(p1, .ask(AskMessage()), at: t0 + 16)).isEmpty)
        let a3 = try #require(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 18)).first)
        let u3 = try #require(a3.hints.gpuMemoryUtilization)
        #expect(u3 < u2)
        #expect(try #require(a3.hints.maxModelLen) < (a2.hints.maxModelLen ?? 0))

        // The budget (2 retries) is then spent.
        h.send(p1, oom(3), at: t0 + 19)
        #expect(try h.record(u).state == .failed)
    }

    @Test("a worker re-registering with a new incarnation without its unit gets that unit requeued")
    func reincarnation() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        h.ready("w1", peer: p3, incarnation: "inc-2", at: t0 + 5)
        var r = try h.record(u)
        #expect(r.state == .pending && r.epoch == 1)
        #expect(r.failureClass == .lostWorker)
        #expect(h.engine.workers["w1"]?.peer == p3 && h.engine.workers["w1"]?.unit == nil)
        #expect(h.engine.workers["w1"]?.incarnation == "inc-2")
        // The old routing id is forgotten.
        #expect(disconnects(h.send(p1, .heartbeat, at: t0 + 5)).map(\.fatal) == [false])
        let a = try #require(assigns(h.send(p3, .ask(AskMessage()), at: t0 + 6)).first)
        #expect(a.unit.id == u && a.epoch == 2)
        r = try h.record(u)
        #expect(r.state == .running && r.worker == "w1" && r.epoch == 2)
    }

    @Test("a worker re-registering with its unit keeps its lease; a claim it does not hold is cancelled")
    func reconnectKeepsLease() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        let out = h.ready("w1", peer: p3, running: [RunningUnit(unit: u, epoch: 1), RunningUnit(unit: "ghost", epoch: 4)], at: t0 + 5)
        #expect(cancels(out).map(\.unit) == ["ghost"])
        #expect(out.allSatisfy { $0.peer == p3 })
        let r = try h.record(u)
        #expect(r.state == .running && r.epoch == 1 && r.worker == "w1")
        #expect(h.engine.workers["w1"]?.state == .busy && h.engine.workers["w1"]?.unit == u)
        h.send(p3, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 6)
        let ackOut = h.engine.flush(now: t0 + 6)
        #expect(ackOut.map(\.peer) == [p3], "ACKs go to the routing id of the latest READY")
        #expect(acks(ackOut).map(\.seqs) == [[1]])
    }

    @Test("transport expiry marks the worker lost but keeps its lease")
    func transportExpiry() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0)
        let expiry = Double(h.config.heartbeat.intervalMs * h.config.heartbeat.liveness) / 1000
        _ = h.engine.tick(now: t0 + expiry - 0.5)
        #expect(h.engine.workers["w1"]?.state == .busy)
        let out = h.engine.tick(now: t0 + expiry + 1)
        #expect(cancels(out).isEmpty)
        #expect(h.engine.workers["w1"]?.state == .lost)
        let r = try h.record(u.unit.id)
        #expect(r.state == .running && r.epoch == 1 && r.worker == "w1")
        #expect(try h.store.db.rows("SELECT state FROM workers WHERE name = 'w1'") { $0.text(0) } == ["lost"])
        #expect(try h.store.db.rows("SELECT COUNT(*) FROM events WHERE kind = 'worker_lost' AND worker = 'w1'") { $0.int(0) } == [1])
        // A lost worker is not heartbeated and not declared lost twice.
        let later = h.engine.tick(now: t0 + expiry + 10)
        #expect(later.isEmpty)
        #expect(try h.store.db.rows("SELECT COUNT(*) FROM events WHERE kind = 'worker_lost'") { $0.int(0) } == [1])
        // It reconnects within the lease TTL with a new socket and carries on.
        h.ready("w1", peer: p2, running: [RunningUnit(unit: u.unit.id, epoch: 1)], at: t0 + expiry + 20)
        #expect(h.engine.workers["w1"]?.state == .busy)
        h.send(p2, h.result(u.unit.id, epoch: 1, seq: 1, index: 0), at: t0 + expiry + 21)
        #expect(acks(h.engine.flush(now: t0 + expiry + 21)).map(\.seqs) == [[1]])
        #expect(try h.record(u.unit.id).epoch == 1)
    }

    @Test("heartbeats go to quiet peers only")
    func heartbeats() throws {
        let h = try Harness()
        h.ready("w1", peer: p1, at: t0)
        let interval = Double(h.config.heartbeat.intervalMs) / 1000
        #expect(h.engine.tick(now: t0 + interval / 2).isEmpty)
        let out = h.engine.tick(now: t0 + interval)
        #expect(out.map(\.peer) == [p1])
        #expect(out.first?.message == .heartbeat)
        #expect(h.engine.tick(now: t0 + interval + 0.1).isEmpty)
    }

    @Test("an unregistered peer gets a non-fatal DISCONNECT, and nothing it sends is used")
    func unregistered() throws {
        let h = try Harness()
        let u = h.evalUnit.id
        for m: WireMessage in [.ask(AskMessage()), .heartbeat, h.result(u, epoch: 1, seq: 1, index: 0),
                               .progress(ProgressMessage(unit: u, epoch: 1, done: 0, total: 1)),
                               .finish(FinishMessage(unit: u, epoch: 1, seq: 1, outcome: .done, sampleCount: 0)),
                               .leaving(LeavingMessage(reason: "bye"))] {
            let out = h.send([9, 9], m, at: t0)
            #expect(out.map(\.peer) == [[9, 9]])
            let d = try #require(disconnects(out).first, "\(m.command)")
            #expect(!d.fatal)
            #expect(d.reason.contains("READY"))
        }
        #expect(h.engine.flush(now: t0 + 1).isEmpty)
        #expect(try h.sampleRows(u) == 0)
        #expect(try h.record(u).state == .pending)
        #expect(h.engine.workers.isEmpty)
    }

    @Test("with CURVE configured, a READY whose name is not its key's user id gets a fatal DISCONNECT")
    func curveNameBinding() throws {
        var config = ClusterConfig()
        config.curve = CurveSettings(serverPublic: String(repeating: "a", count: 40),
                                     workers: ["w1": String(repeating: "b", count: 40), "w2": String(repeating: "c", count: 40)])
        let h = try Harness(config: config)
        let posing = h.ready("w1", peer: p2, userId: "w2", at: t0)
        let d = try #require(disconnects(posing).first)
        #expect(d.fatal && d.reason.contains("w1") && d.reason.contains("w2"))
        #expect(posing.map(\.peer) == [p2])
        #expect(h.engine.workers["w1"] == nil)
        #expect(disconnects(h.ready("w1", peer: p2, userId: nil, at: t0)).first?.fatal == true)
        #expect(h.engine.workers.isEmpty)
        // The poser's routing id stays unregistered.
        #expect(disconnects(h.send(p2, .ask(AskMessage()), at: t0)).first?.fatal == false)
        // The right name is accepted.
        #expect(h.ready("w1", peer: p1, userId: "w1", at: t0).isEmpty)
        #expect(h.engine.workers["w1"] != nil)
        #expect(!assigns(h.send(p1, .ask(AskMessage()), userId: "w1", at: t0)).isEmpty)
    }

    @Test("a protocol minor version the coordinator cannot speak is refused")
    func minorVersion() throws {
        let h = try Harness()
        let bad = WireVersion.supportedMinors.upperBound + 1
        let out = h.ready("w1", peer: p1, minor: bad, at: t0)
        let d = try #require(disconnects(out).first)
        #expect(d.fatal)
        #expect(d.reason.contains("minor version \(bad)"))
        #expect(h.engine.workers.isEmpty)
        #expect(h.ready("w1", peer: p1, minor: WireVersion.minor, at: t0).isEmpty)
    }

    @Test("raw frames: a version mismatch gets a fatal DISCONNECT naming both tags; garbage is dropped")
    func rawFrames() throws {
        let h = try Harness()
        let codec = WireCodec()
        let log = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let wrong = ZMQSocket.Message(frames: [p1, Array("ACB9".utf8), [Command.heartbeat.rawValue], Array("{}".utf8)], userId: nil)
        let out = h.engine.handle(raw: wrong, codec: codec, log: log)
        let d = try #require(disconnects(out).first)
        #expect(d.fatal && d.reason.contains("ACB9") && d.reason.contains(WireVersion.tag))
        // Another first frame is another protocol, whatever follows it.
        #expect(disconnects(h.engine.handle(raw: ZMQSocket.Message(frames: [p1, [0xff]], userId: nil), codec: codec, log: log)).first?.fatal == true)
        // Malformed messages with the right tag are dropped without an answer (and without a crash).
        let tag = Array(WireVersion.tag.utf8)
        for frames in [[p1], [p1, tag], [p1, tag, [0x7f], []], [p1, tag, [0x02], Array("{".utf8)], [p1, tag, [0x02], Array("{}".utf8), []],
                       [p1, tag, [0x04], Array(#"{"unit":"","epoch":1,"seq":1}"#.utf8)]] {
            #expect(h.engine.handle(raw: ZMQSocket.Message(frames: frames, userId: nil), codec: codec, log: log).isEmpty)
        }
        // A good message through the same path works.
        let ready = try codec.encode(.ready(ReadyMessage(worker: "w1", incarnation: "i", capabilities: Fixture.capabilities())))
        #expect(h.engine.handle(raw: ZMQSocket.Message(frames: [p1] + ready, userId: nil), codec: codec, log: log).isEmpty)
        #expect(h.engine.workers["w1"] != nil)
    }

    @Test("a coordinator restart keeps running leases for workers that re-register")
    func coordinatorRestart() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        h.send(p1, h.result(u, epoch: 1, seq: 1, index: 0), at: t0 + 1)
        #expect(acks(h.engine.flush(now: t0 + 1)).map(\.seqs) == [[1]])
        // The coordinator restarts much later than the lease TTL; the lease gets a fresh TTL.
        let later = t0 + 10 * h.config.lease.evalTTLSeconds
        try h.restart(now: later)
        #expect(cancels(h.engine.tick(now: later + 1)).isEmpty)
        #expect(try h.record(u).leaseExpires == later + h.config.lease.evalTTLSeconds)
        let out = h.ready("w1", peer: p2, running: [RunningUnit(unit: u, epoch: 1)], at: later + 2)
        #expect(cancels(out).isEmpty)
        // The journal replays seq 1 (already stored) and sends seq 2.
        h.send(p2, h.result(u, epoch: 1, seq: 1, index: 0), at: later + 3)
        h.send(p2, h.result(u, epoch: 1, seq: 2, index: 1), at: later + 3)
        #expect(acks(h.engine.flush(now: later + 3)).flatMap(\.seqs).sorted() == [1, 2])
        #expect(try h.sampleRows(u) == 2)
    }

    @Test("LEAVING hands the unit back without counting a failure")
    func leaving() throws {
        let h = try Harness()
        let u = try h.lease("w1", peer: p1, at: t0).unit.id
        h.send(p1, .leaving(LeavingMessage(reason: "SIGTERM")), at: t0 + 1)
        let r = try h.record(u)
        #expect(r.state == .pending && r.classAttempts.isEmpty && r.retryAfter <= t0 + 1)
        #expect(h.engine.workers["w1"]?.state == .leaving)
        #expect(assigns(h.send(p1, .ask(AskMessage()), at: t0 + 2)).isEmpty, "a leaving worker gets no more work")
        h.ready("w2", peer: p2, at: t0 + 2)
        #expect(assigns(h.send(p2, .ask(AskMessage()), at: t0 + 2)).first?.epoch == 2)
    }
}
