import Foundation
@testable import Coordinator

/// Who stored what, read back from a finished sweep's database: every sample must come from the
/// worker that held the lease of its (unit, epoch), and none may be stored after that lease ended.
struct Provenance {
    let store: StateStore

    /// Samples whose (unit, epoch, worker) matches no attempt: results from a lease never held.
    func orphanSamples() throws -> Int {
        try count("""
            SELECT COUNT(*) FROM samples s LEFT JOIN attempts a
            ON a.unit_id = s.unit_id AND a.epoch = s.epoch AND a.worker = s.worker WHERE a.unit_id IS NULL
            """)
    }

    /// Samples stored after the attempt they belong to had ended (late results that got in).
    func lateSamples() throws -> Int {
        try count("""
            SELECT COUNT(*) FROM samples s JOIN attempts a ON a.unit_id = s.unit_id AND a.epoch = s.epoch
            WHERE a.ended_at IS NOT NULL AND a.outcome != 'done' AND s.stored_at > a.ended_at
            """)
    }

    /// (epoch, worker, outcome, samples stored) of each attempt of `unit`, oldest first.
    func attempts(_ unit: String) throws -> [(epoch: Int, worker: String, outcome: String, samples: Int)] {
        try store.db.rows("""
            SELECT a.epoch, a.worker, COALESCE(a.outcome, ''),
                   (SELECT COUNT(*) FROM samples s WHERE s.unit_id = a.unit_id AND s.epoch = a.epoch)
            FROM attempts a WHERE a.unit_id = ? ORDER BY a.epoch
            """, [.text(unit)]) { ($0.int(0), $0.text(1) ?? "", $0.text(2) ?? "", $0.int(3)) }
    }

    /// Worker name → the host it reported.
    func workerHosts() throws -> [String: String] {
        Dictionary(try store.db.rows("SELECT name, host FROM workers") { ($0.text(0) ?? "", $0.text(1) ?? "") },
                   uniquingKeysWith: { a, _ in a })
    }

    /// Distinct workers that stored samples of `unit`.
    func sampleWorkers(_ unit: String) throws -> Set<String> {
        Set(try store.db.rows("SELECT DISTINCT worker FROM samples WHERE unit_id = ?", [.text(unit)]) { $0.text(0) ?? "" })
    }

    private func count(_ sql: String) throws -> Int { try store.db.rows(sql) { $0.int(0) }.first ?? 0 }
}
