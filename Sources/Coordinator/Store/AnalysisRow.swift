import Protocol

/// One value of the `analysis` table: an analysis metric of a (model, method) pair, computed by
/// Kernels on the uncompressed and compressed weights of the same model (docs/SCHEMA.md).
public struct AnalysisRow: Sendable, Codable, Equatable {
    /// `erank` (per method, incl. `none`), `kendall` / `spearman` (compressed vs `none`, per k and position),
    /// `energy` (T = 1, per position).
    public var model: String
    public var method: String
    public var metric: String
    /// Top-k for the correlations; 0 for other metrics.
    public var k: Int
    /// Token position; −1 for a value of the whole (model, method).
    public var position: Int
    /// NaN where the reference gives NaN (stored as NULL).
    public var value: Double
    /// The analysis unit that produced it, when known.
    public var unitId: String?

    public init(model: String, method: String, metric: String, k: Int = 0, position: Int = -1, value: Double,
                unitId: String? = nil) {
        self.model = model; self.method = method; self.metric = metric; self.k = k; self.position = position
        self.value = value; self.unitId = unitId
    }
}

extension StateStore {
    /// Stores analysis values (a re-computed value replaces the old one), in one transaction.
    public func saveAnalysis(_ rows: [AnalysisRow], now: Double = wallClock()) throws {
        try db.transaction { try saveAnalysisRows(rows, now: now) }
    }

    /// Stores analysis values inside the caller's transaction.
    public func saveAnalysisRows(_ rows: [AnalysisRow], now: Double = wallClock()) throws {
        for r in rows {
            try db.query("""
                INSERT OR REPLACE INTO analysis(model, method, metric, k, position, value, unit_id, created_at)
                VALUES (?,?,?,?,?,?,?,?)
                """, [.text(r.model), .text(r.method), .text(r.metric), .int(r.k), .int(r.position),
                      r.value.isNaN ? .null : .double(r.value), .opt(r.unitId), .double(now)])
        }
    }

    /// Analysis values of `models` (all when nil), ordered by model, method, metric, k, position.
    /// A file from before the table existed (schema 1, opened read-only) has none.
    public func analysisRows(models: [String]? = nil) throws -> [AnalysisRow] {
        let exists = try db.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analysis'") { $0.int(0) }
        guard !exists.isEmpty else { return [] }
        let rows = try db.rows("""
            SELECT model, method, metric, k, position, value, unit_id FROM analysis
            ORDER BY model, method, metric, k, position
            """) { r in
            AnalysisRow(model: r.text(0) ?? "", method: r.text(1) ?? "", metric: r.text(2) ?? "", k: r.int(3),
                        position: r.int(4), value: r.optDouble(5) ?? .nan, unitId: r.text(6))
        }
        guard let models else { return rows }
        return rows.filter { models.contains($0.model) }
    }
}
