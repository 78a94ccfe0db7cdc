#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Protocol

/// The coordinator's state in one SQLite file (WAL). The coordinator is its only writer;
/// `acbench status` and `report` open it read-only while a sweep runs.
public final class StateStore: @unchecked Sendable {
    public let db: SQLiteDatabase
    let encoder: JSONEncoder = { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return e }()
    let decoder = JSONDecoder()

    /// Opens the store. Writable stores are created, switched to WAL and migrated; a read-only
    /// open of a missing file is an error naming it.
    public init(path: String, readOnly: Bool = false) throws {
        if readOnly && !Files.exists(path) {
            throw SQLiteError(path: path, message: "no state database here (has a coordinator run with this cluster.conf?)")
        }
        if !readOnly { try Files.makeDirectories(Files.directory(of: path)) }
        db = try SQLiteDatabase(path: path, readOnly: readOnly)
        if readOnly {
            try checkVersion()
            return
        }
        var mode = ""
        try db.query("PRAGMA journal_mode=WAL") { mode = $0.text(0) ?? "" }
        guard mode == "wal" else { throw SQLiteError(path: path, message: "cannot switch to WAL (journal_mode is \(mode))") }
        try db.exec("PRAGMA synchronous=FULL")
        let found = try checkVersion()
        try db.transaction {
            try db.exec(Schema.create)
            for step in stride(from: max(found, 1) + 1, through: Schema.version, by: 1) {
                if let ddl = Schema.migrations[step] { try db.exec(ddl) }
            }
            try db.exec("PRAGMA user_version=\(Schema.version)")
        }
    }

    /// The file's schema version; a newer one than this build knows is an error.
    @discardableResult
    private func checkVersion() throws -> Int {
        var v = 0
        try db.query("PRAGMA user_version") { v = $0.int(0) }
        if v > Schema.version {
            throw SQLiteError(path: db.path, message: "schema version \(v) is newer than this acbench understands (\(Schema.version))")
        }
        return v
    }

    /// The schema version of the open file (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int { try db.rows("PRAGMA user_version") { $0.int(0) }.first ?? 0 }

    func json<T: Encodable>(_ v: T) -> String { String(decoding: (try? encoder.encode(v)) ?? Data(), as: UTF8.self) }
    func decode<T: Decodable>(_ t: T.Type, _ s: String?) -> T? { s.flatMap { try? decoder.decode(t, from: Data($0.utf8)) } }

    // MARK: units

    /// Inserts units that are not stored yet (insert-or-keep) and records `sweep`'s slot → unit mapping.
    public func registerPlan(sweep: String, units: [UnitSpec], now: Double = wallClock()) throws {
        try db.transaction {
            try db.query("DELETE FROM sweep_slots WHERE sweep = ?", [.text(sweep)])
            for (i, u) in units.enumerated() {
                try db.query("""
                    INSERT OR IGNORE INTO units(id, slot, kind, model, method, task, shard, shard_count, spec, created_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?)
                    """, [.text(u.id), .text(u.slot), .text(u.kind.rawValue), .text(u.model.name), .text(u.method.name),
                          .opt(u.task?.name), .int(u.shard), .int(u.shardCount), .text(json(u)), .double(now)])
                for d in u.dependsOn {
                    try db.query("INSERT OR IGNORE INTO unit_deps(unit_id, depends_on) VALUES (?,?)", [.text(u.id), .text(d)])
                }
                try db.query("INSERT INTO sweep_slots(sweep, slot, unit_id, position) VALUES (?,?,?,?)",
                             [.text(sweep), .text(u.slot), .text(u.id), .int(i)])
            }
        }
    }

    static let recordColumns = """
        u.spec, u.state, u.attempts, u.epoch, u.worker, u.lease_expires, u.failure_class, u.failure_message,
        u.class_attempts, u.retry_after, u.sample_total, u.summary, u.started_at, u.finished_at,
        (SELECT COUNT(*) FROM samples s WHERE s.unit_id = u.id)
        """

    func record(_ r: SQLRow) -> UnitRecord? {
        guard let spec = decode(UnitSpec.self, r.text(0)) else { return nil }
        var rec = UnitRecord(spec: spec)
        rec.state = UnitState(rawValue: r.text(1) ?? "") ?? .pending
        rec.attempts = r.int(2); rec.epoch = r.int(3); rec.worker = r.text(4); rec.leaseExpires = r.optDouble(5)
        rec.failureClass = r.text(6).flatMap(FailureClass.init(rawValue:)); rec.failureMessage = r.text(7)
        rec.classAttempts = decode([String: Int].self, r.text(8)) ?? [:]
        rec.retryAfter = r.double(9); rec.sampleTotal = r.optInt(10)
        rec.summary = decode([String: Double].self, r.text(11)) ?? [:]
        rec.startedAt = r.optDouble(12); rec.finishedAt = r.optDouble(13); rec.stored = r.int(14)
        return rec
    }

    /// The stored records of the units `ids`, keyed by id.
    public func records(ids: [String]) throws -> [String: UnitRecord] {
        var out: [String: UnitRecord] = [:]
        for id in ids {
            try db.query("SELECT \(Self.recordColumns) FROM units u WHERE u.id = ?", [.text(id)]) { r in
                if let rec = record(r) { out[id] = rec }
            }
        }
        return out
    }

    /// The records of a sweep's current units, in plan order.
    public func sweepRecords(sweep: String) throws -> [UnitRecord] {
        try db.rows("""
            SELECT \(Self.recordColumns) FROM sweep_slots p JOIN units u ON u.id = p.unit_id
            WHERE p.sweep = ? ORDER BY p.position
            """, [.text(sweep)]) { record($0) }.compactMap { $0 }
    }

    /// Sweeps recorded in this store, most recently planned first.
    public func sweeps() throws -> [String] {
        try db.rows("SELECT value FROM meta WHERE key = 'sweep'") { $0.text(0) ?? "" } +
            db.rows("SELECT DISTINCT sweep FROM sweep_slots WHERE sweep NOT IN (SELECT value FROM meta WHERE key = 'sweep')") { $0.text(0) ?? "" }
    }

    /// Records the sweep the coordinator runs now (what `status` shows by default).
    public func setCurrentSweep(_ name: String) throws {
        try db.query("INSERT OR REPLACE INTO meta(key, value) VALUES ('sweep', ?)", [.text(name)])
    }

    /// Writes a unit's mutable state.
    public func save(_ r: UnitRecord) throws {
        try db.query("""
            UPDATE units SET state=?, attempts=?, epoch=?, worker=?, lease_expires=?, failure_class=?, failure_message=?,
                class_attempts=?, retry_after=?, sample_total=?, summary=?, started_at=?, finished_at=? WHERE id=?
            """, [.text(r.state.rawValue), .int(r.attempts), .int(r.epoch), .opt(r.worker), .opt(r.leaseExpires),
                  .opt(r.failureClass?.rawValue), .opt(r.failureMessage), .text(json(r.classAttempts)),
                  .double(r.retryAfter), .opt(r.sampleTotal), .text(json(r.summary)), .opt(r.startedAt),
                  .opt(r.finishedAt), .text(r.spec.id)])
    }

    // MARK: samples

    /// Stores one sample unless (unit, index) is stored already. Returns whether it was new.
    @discardableResult
    public func insertSample(unit: String, epoch: Int, seq: Int, worker: String, sample: SampleResult,
                             now: Double = wallClock()) throws -> Bool {
        try db.query("""
            INSERT OR IGNORE INTO samples(unit_id, sample_index, sample_id, epoch, seq, worker, scores, output, meta,
                latency_ms, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(unit), .int(sample.index), .text(sample.sampleId), .int(epoch), .int(seq), .text(worker),
                  .text(json(sample.scores)), .text(sample.output), .text(json(sample.meta)), .double(sample.latencyMs),
                  .double(now)])
        return db.changes == 1
    }

    /// Indices of the samples stored for `unit`, ascending.
    public func storedIndices(unit: String) throws -> [Int] {
        try db.rows("SELECT sample_index FROM samples WHERE unit_id = ? ORDER BY sample_index", [.text(unit)]) { $0.int(0) }
    }

    /// The stored samples of `unit`, by index.
    public func samples(unit: String) throws -> [SampleResult] {
        try db.rows("SELECT sample_id, sample_index, scores, output, meta, latency_ms FROM samples WHERE unit_id = ? ORDER BY sample_index",
                    [.text(unit)]) { r in
            SampleResult(sampleId: r.text(0) ?? "", index: r.int(1),
                         scores: decode([String: Double].self, r.text(2)) ?? [:], output: r.text(3) ?? "",
                         meta: decode([String: String].self, r.text(4)) ?? [:], latencyMs: r.double(5))
        }
    }

    // MARK: artifacts, workers, attempts, events

    public func saveArtifact(unit: String, _ a: ArtifactInfo, now: Double = wallClock()) throws {
        try db.query("INSERT OR REPLACE INTO artifacts(unit_id, path, digest, bytes, host, created_at) VALUES (?,?,?,?,?,?)",
                     [.text(unit), .text(a.path), .text(a.digest), .int(Int(a.bytes)), .text(a.host), .double(now)])
    }

    public func deleteArtifact(unit: String) throws {
        try db.query("DELETE FROM artifacts WHERE unit_id = ?", [.text(unit)])
    }

    /// Every stored artifact of `sweep`'s compress units, keyed by unit id.
    public func artifacts(sweep: String) throws -> [String: ArtifactInfo] {
        let sql = "SELECT a.unit_id, a.path, a.digest, a.bytes, a.host FROM artifacts a "
            + "JOIN sweep_slots s ON s.unit_id = a.unit_id WHERE s.sweep = ?"
        let rows = try db.rows(sql, [.text(sweep)]) { r in
            (r.text(0) ?? "", ArtifactInfo(path: r.text(1) ?? "", digest: r.text(2) ?? "", bytes: Int64(r.int(3)), host: r.text(4) ?? ""))
        }
        return Dictionary(rows, uniquingKeysWith: { a, _ in a })
    }

    public func artifact(unit: String) throws -> ArtifactInfo? {
        try db.rows("SELECT path, digest, bytes, host FROM artifacts WHERE unit_id = ?", [.text(unit)]) { r in
            ArtifactInfo(path: r.text(0) ?? "", digest: r.text(1) ?? "", bytes: Int64(r.int(2)), host: r.text(3) ?? "")
        }.first
    }

    public func saveWorker(name: String, incarnation: String, capabilities: Capabilities, state: String,
                           serving: String?, unit: String?, now: Double = wallClock()) throws {
        try db.query("""
            INSERT INTO workers(name, incarnation, host, capabilities, state, serving, unit_id, first_seen, last_seen)
            VALUES (?,?,?,?,?,?,?,?,?)
            ON CONFLICT(name) DO UPDATE SET incarnation=excluded.incarnation, host=excluded.host,
                capabilities=excluded.capabilities, state=excluded.state, serving=excluded.serving,
                unit_id=excluded.unit_id, last_seen=excluded.last_seen
            """, [.text(name), .text(incarnation), .text(capabilities.host), .text(json(capabilities)), .text(state),
                  .opt(serving), .opt(unit), .double(now), .double(now)])
    }

    public func attemptStarted(unit: String, epoch: Int, worker: String, now: Double = wallClock()) throws {
        try db.query("INSERT OR REPLACE INTO attempts(unit_id, epoch, worker, started_at) VALUES (?,?,?,?)",
                     [.text(unit), .int(epoch), .text(worker), .double(now)])
    }

    public func attemptEnded(unit: String, epoch: Int, outcome: String, failure: FailureClass?, message: String?,
                             now: Double = wallClock()) throws {
        try db.query("UPDATE attempts SET ended_at=?, outcome=?, failure_class=?, message=? WHERE unit_id=? AND epoch=?",
                     [.double(now), .text(outcome), .opt(failure?.rawValue), .opt(message), .text(unit), .int(epoch)])
    }

    public func event(_ kind: String, unit: String? = nil, worker: String? = nil, _ detail: String, now: Double = wallClock()) throws {
        try db.query("INSERT INTO events(at, kind, unit_id, worker, detail) VALUES (?,?,?,?,?)",
                     [.double(now), .text(kind), .opt(unit), .opt(worker), .text(detail)])
    }

    /// `PRAGMA integrity_check`'s answer (`ok` when the file is sound).
    public func integrityCheck() throws -> String {
        try db.rows("PRAGMA integrity_check") { $0.text(0) ?? "" }.joined(separator: "; ")
    }
}

extension StateStore {
    /// Gives failed units of `sweep` a fresh retry budget (a re-run of the coordinator retries them).
    public func resetFailed(sweep: String) throws -> Int {
        try db.query("""
            UPDATE units SET state='pending', class_attempts='{}', retry_after=0
            WHERE state='failed' AND id IN (SELECT unit_id FROM sweep_slots WHERE sweep = ?)
            """, [.text(sweep)])
        return db.changes
    }
}
