/// The coordinator's SQLite schema (docs/SCHEMA.md explains every table and column).
enum Schema {
    /// `PRAGMA user_version` of this schema; older files are migrated, newer ones refused.
    static let version = 2

    /// Additive steps: `migrations[v]` takes a file from version v − 1 to v (after `create`).
    static let migrations: [Int: String] = [2: analysis]

    /// Version 2: analysis metrics per (model, method) — ERank, top-k correlations, energy.
    static let analysis = """
    CREATE TABLE IF NOT EXISTS analysis(
        model TEXT NOT NULL,
        method TEXT NOT NULL,
        metric TEXT NOT NULL,
        k INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT -1,
        value REAL,
        unit_id TEXT,
        created_at REAL NOT NULL,
        PRIMARY KEY(model, method, metric, k, position));
    """

    static let create = """
    CREATE TABLE IF NOT EXISTS meta(
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS units(
        id TEXT PRIMARY KEY,
        slot TEXT NOT NULL,
        kind TEXT NOT NULL,
        model TEXT NOT NULL,
        method TEXT NOT NULL,
        task TEXT,
        shard INTEGER NOT NULL,
        shard_count INTEGER NOT NULL,
        spec TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        epoch INTEGER NOT NULL DEFAULT 0,
        worker TEXT,
        lease_expires REAL,
        failure_class TEXT,
        failure_message TEXT,
        class_attempts TEXT NOT NULL DEFAULT '{}',
        retry_after REAL NOT NULL DEFAULT 0,
        sample_total INTEGER,
        summary TEXT,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL);
    CREATE INDEX IF NOT EXISTS units_slot ON units(slot);
    CREATE TABLE IF NOT EXISTS unit_deps(
        unit_id TEXT NOT NULL,
        depends_on TEXT NOT NULL,
        PRIMARY KEY(unit_id, depends_on));
    CREATE TABLE IF NOT EXISTS sweep_slots(
        sweep TEXT NOT NULL,
        slot TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY(sweep, slot));
    CREATE TABLE IF NOT EXISTS samples(
        unit_id TEXT NOT NULL,
        sample_index INTEGER NOT NULL,
        sample_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        worker TEXT NOT NULL,
        scores TEXT NOT NULL,
        output TEXT NOT NULL,
        meta TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        stored_at REAL NOT NULL,
        PRIMARY KEY(unit_id, sample_index)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS artifacts(
        unit_id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        digest TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        host TEXT NOT NULL,
        created_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS workers(
        name TEXT PRIMARY KEY,
        incarnation TEXT NOT NULL,
        host TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        state TEXT NOT NULL,
        serving TEXT,
        unit_id TEXT,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS attempts(
        unit_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        worker TEXT NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL,
        outcome TEXT,
        failure_class TEXT,
        message TEXT,
        PRIMARY KEY(unit_id, epoch));
    CREATE TABLE IF NOT EXISTS events(
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        unit_id TEXT,
        worker TEXT,
        detail TEXT NOT NULL);
    """
}
