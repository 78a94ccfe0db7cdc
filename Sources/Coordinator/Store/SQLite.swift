import CSQLite
import Protocol

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failed SQLite call, with the database path and SQLite's message.
public struct SQLiteError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// One SQLite connection, used by one thread at a time.
public final class SQLiteDatabase: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (or creates, unless `readOnly`) the database file.
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw SQLiteError(path: path, message: msg)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        for s in statements.values { sqlite3_finalize(s) }
        sqlite3_close(handle)
    }

    /// Runs statements that return no rows.
    public func exec(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw SQLiteError(path: path, message: "\(msg) in: \(sql.prefix(120))")
        }
    }

    /// Runs `sql` with `args`, calling `row` for each result row. Statements are cached.
    public func query(_ sql: String, _ args: [SQLValue] = [], row: (SQLRow) throws -> Void = { _ in }) throws {
        let stmt = try prepared(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        for (i, a) in args.enumerated() {
            let idx = Int32(i + 1)
            switch a {
            case .null: sqlite3_bind_null(stmt, idx)
            case .int(let v): sqlite3_bind_int64(stmt, idx, Int64(v))
            case .double(let v): sqlite3_bind_double(stmt, idx, v)
            case .text(let v): sqlite3_bind_text(stmt, idx, v, -1, SQLITE_TRANSIENT)
            }
        }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { try row(SQLRow(stmt: stmt)); continue }
            if rc == SQLITE_DONE { return }
            throw SQLiteError(path: path, message: "\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(120))")
        }
    }

    /// Runs `sql` and returns the rows mapped by `map`.
    public func rows<T>(_ sql: String, _ args: [SQLValue] = [], _ map: (SQLRow) throws -> T) throws -> [T] {
        var out: [T] = []
        try query(sql, args) { out.append(try map($0)) }
        return out
    }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one transaction (BEGIN IMMEDIATE … COMMIT), rolled back if it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try exec("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try exec("COMMIT")
            return r
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let s = statements[sql] { return s }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw SQLiteError(path: path, message: "\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(160))")
        }
        statements[sql] = stmt
        return stmt
    }
}

/// A value bound to a statement parameter.
public enum SQLValue: Sendable {
    case null, int(Int), double(Double), text(String)
    public static func opt(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    public static func opt(_ d: Double?) -> SQLValue { d.map { .double($0) } ?? .null }
    public static func opt(_ i: Int?) -> SQLValue { i.map { .int($0) } ?? .null }
}

/// The current row of a running query.
public struct SQLRow {
    let stmt: OpaquePointer
    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(stmt, i)) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(stmt, i) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }
    public func text(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, i) else { return nil }
        return String(cString: p)
    }
    public func optDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
    public func optInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
}
