import Foundation
import Testing
@testable import Coordinator
@testable import Protocol

@Suite("StateStore")
struct StateStoreTests {
    @Test("a writable store runs in WAL mode and passes the integrity check")
    func walAndIntegrity() throws {
        let f = try StoreFixture()
        #expect(try f.store.db.rows("PRAGMA journal_mode") { $0.text(0) } == ["wal"])
        #expect(try f.store.integrityCheck() == "ok")
        #expect(try f.store.db.rows("PRAGMA user_version") { $0.int(0) } == [Schema.version])
        // Reopening an existing file keeps WAL and the schema.
        let again = try StateStore(path: f.path)
        #expect(try again.db.rows("PRAGMA journal_mode") { $0.text(0) } == ["wal"])
        #expect(try again.integrityCheck() == "ok")
    }

    @Test("registerPlan is insert-or-keep: re-registering keeps each unit's state")
    func registerKeepsState() throws {
        let f = try StoreFixture()
        let units = Planner(baseDirectory: f.dir.path).plan(Fixture.sweep(methods: [Fixture.none, Fixture.rtn]))
        #expect(units.count == 3)
        try f.store.registerPlan(sweep: "test", units: units, now: 100)
        var recs = try f.store.records(ids: units.map(\.id))
        #expect(recs.count == 3)
        #expect(recs.values.allSatisfy { $0.state == .pending && $0.epoch == 0 && $0.stored == 0 })

        var r = try #require(recs[units[0].id])
        r.state = .done; r.epoch = 2; r.attempts = 2; r.summary = ["mean": 0.75]; r.sampleTotal = 3
        try f.store.save(r)
        try f.store.insertSample(unit: units[1].id, epoch: 1, seq: 1, worker: "w", sample: Fixture.sample(0))

        try f.store.registerPlan(sweep: "test", units: units, now: 200)
        recs = try f.store.records(ids: units.map(\.id))
        let kept = try #require(recs[units[0].id])
        #expect(kept.state == .done && kept.epoch == 2 && kept.attempts == 2 && kept.summary == ["mean": 0.75])
        #expect(recs[units[1].id]?.stored == 1)
        #expect(try f.store.db.rows("SELECT COUNT(*) FROM units") { $0.int(0) } == [3])
        #expect(try f.store.sweepRecords(sweep: "test").map(\.spec.id) == units.map(\.id))

        // A changed sweep re-points its slots but never deletes the old units.
        let changed = Planner(baseDirectory: f.dir.path).plan(Fixture.sweep(methods: [Fixture.none]))
        try f.store.registerPlan(sweep: "test", units: changed, now: 300)
        #expect(try f.store.sweepRecords(sweep: "test").map(\.spec.id) == changed.map(\.id))
        #expect(try f.store.db.rows("SELECT COUNT(*) FROM units") { $0.int(0) } == [3])
        #expect(try f.store.records(ids: [units[0].id])[units[0].id]?.state == .done)
    }

    @Test("insertSample stores (unit, index) once")
    func sampleOnce() throws {
        let f = try StoreFixture()
        let units = Planner(baseDirectory: f.dir.path).plan(Fixture.sweep())
        try f.store.registerPlan(sweep: "test", units: units)
        let u = units[0].id
        #expect(try f.store.insertSample(unit: u, epoch: 1, seq: 1, worker: "w1", sample: Fixture.sample(0, score: 0.25)))
        #expect(try !f.store.insertSample(unit: u, epoch: 1, seq: 1, worker: "w1", sample: Fixture.sample(0, score: 0.25)))
        // Even from another epoch, seq or worker: the first stored answer stays.
        #expect(try !f.store.insertSample(unit: u, epoch: 2, seq: 9, worker: "w2", sample: Fixture.sample(0, score: 0.5)))
        #expect(try f.store.insertSample(unit: u, epoch: 2, seq: 2, worker: "w2", sample: Fixture.sample(2)))
        #expect(try f.store.storedIndices(unit: u) == [0, 2])
        let stored = try f.store.samples(unit: u)
        #expect(stored.map(\.index) == [0, 2])
        #expect(stored.first?.scores == ["score": 0.25])
        #expect(stored.first?.output == "out 0")
        #expect(try f.store.records(ids: [u])[u]?.stored == 2)
        // Another unit with the same index is a different key.
        #expect(try f.store.insertSample(unit: "other", epoch: 1, seq: 1, worker: "w1", sample: Fixture.sample(0)))
    }

    @Test("a read-only open of a missing file is an error naming it")
    func readOnlyMissing() throws {
        let dir = try TempDir("store")
        let missing = dir.path + "/nowhere/state.sqlite"
        do {
            _ = try StateStore(path: missing, readOnly: true)
            Issue.record("opened a missing store")
        } catch let e as SQLiteError {
            #expect(e.path == missing)
            #expect(String(describing: e).contains(missing))
        }
        // And it did not create the file or its folder.
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/nowhere"))
    }

    @Test("a read-only open sees what the writer committed and cannot write")
    func readOnlyReads() throws {
        let f = try StoreFixture()
        let units = Planner(baseDirectory: f.dir.path).plan(Fixture.sweep())
        try f.store.registerPlan(sweep: "test", units: units)
        try f.store.insertSample(unit: units[0].id, epoch: 1, seq: 1, worker: "w", sample: Fixture.sample(0))
        let ro = try StateStore(path: f.path, readOnly: true)
        #expect(try ro.sweepRecords(sweep: "test").map(\.stored) == [1])
        #expect(try ro.integrityCheck() == "ok")
        #expect(throws: SQLiteError.self) {
            try ro.insertSample(unit: units[0].id, epoch: 1, seq: 2, worker: "w", sample: Fixture.sample(1))
        }
    }

    @Test("a store written by a newer schema is refused")
    func newerSchema() throws {
        let f = try StoreFixture()
        try f.store.db.exec("PRAGMA user_version=\(Schema.version + 1)")
        #expect(throws: SQLiteError.self) { try StateStore(path: f.path) }
        #expect(throws: SQLiteError.self) { try StateStore(path: f.path, readOnly: true) }
    }
}
