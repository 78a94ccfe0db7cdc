#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Coordinator
import Dispatch
import Logging
import Protocol

/// A real coordinator (StateStore in a temp folder, Planner's units, CoordinatorServer on its
/// own OS thread) for one benchmark run. Create, `start()`, `waitFinished`, then `verify()`.
final class BenchCoordinator: @unchecked Sendable {
    let sweep: BenchSweep
    let dir: String
    let units: [UnitSpec]
    let server: CoordinatorServer
    let engine: CoordinatorEngine
    /// Set by the server thread when `run()` returns: its monotonic end time and its error, if any.
    let finished = Locked<(at: Double?, error: String?)>((nil, nil))
    /// Signalled once by the server thread when `run()` returns (the main thread sleeps on it, not spins).
    private let ended = DispatchSemaphore(value: 0)

    init(sweep: BenchSweep) throws {
        self.sweep = sweep
        dir = try makeTempDirectory(prefix: "acbench-bench")
        var log = Logger(label: "acbench.bench.coordinator")
        log.logLevel = .warning
        let config = sweep.config(stateDir: dir)
        units = sweep.plan()
        let store = try StateStore(path: config.paths.state)
        try store.registerPlan(sweep: sweep.spec.name, units: units)
        try store.setCurrentSweep(sweep.spec.name)
        engine = try CoordinatorEngine(store: store, sweep: sweep.spec.name, units: units, config: config, logger: log)
        server = CoordinatorServer(engine: engine, config: config, logger: log)
        server.exitWhenFinished = true
    }

    /// Starts the server thread and returns the endpoint it bound (`tcp://127.0.0.1:PORT`).
    func start() throws -> String {
        let server = self.server, finished = self.finished, ended = self.ended
        startOSThread(name: "bench-coordinator") {
            var err: String?
            do { try server.run() } catch { err = "\(error)" }
            let at = monotonicClock()
            finished.withLock { $0 = (at, err) }
            ended.signal()
        }
        let deadline = monotonicClock() + 10
        while monotonicClock() < deadline {
            if let e = server.boundEndpoint.withLock({ $0 }) { return e }
            if let err = finished.withLock({ $0.error }) { throw BenchError("coordinator did not start: \(err)") }
            usleep(1000)
        }
        throw BenchError("coordinator did not bind within 10 s")
    }

    /// Waits until the server thread returns (the sweep is finished) or `timeout` seconds pass.
    /// Returns the monotonic time it returned at, or nil on timeout (the server is then stopped).
    func waitFinished(timeout: Double) -> Double? {
        if ended.wait(timeout: .now() + timeout) == .success { return finished.withLock { $0.at } }
        server.stop()
        ended.wait()
        return nil
    }

    /// What the database holds after the run (call only once the server thread has returned).
    struct Verdict {
        var sampleRows: Int
        var expected: Int
        var unitsDone: Int
        var unitsTotal: Int
        var duplicateKeys: Int
        /// Commits that stored samples (samples of one commit share `stored_at`).
        var sampleCommits: Int
        var exactlyOnce: Bool { sampleRows == expected && unitsDone == unitsTotal && duplicateKeys == 0 }
        var samplesPerCommit: Double { Double(sampleRows) / Double(max(1, sampleCommits)) }
    }

    func verify() throws -> Verdict {
        let db = engine.store.db
        let rows = try db.rows("SELECT COUNT(*) FROM samples") { $0.int(0) }.first ?? -1
        let distinct = try db.rows("SELECT COUNT(*) FROM (SELECT DISTINCT unit_id, sample_index FROM samples)") { $0.int(0) }.first ?? -1
        let commits = try db.rows("SELECT COUNT(DISTINCT stored_at) FROM samples") { $0.int(0) }.first ?? -1
        let done = try db.rows("SELECT COUNT(*) FROM units WHERE state = 'done'") { $0.int(0) }.first ?? -1
        return Verdict(sampleRows: rows, expected: units.count * sweep.samplesPerUnit, unitsDone: done,
                       unitsTotal: units.count, duplicateKeys: rows - distinct, sampleCommits: commits)
    }

    /// Removes the temp folder (the database and its WAL).
    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }
}

/// A benchmark that could not run (setup failure, timeout); printed and the process exits non-zero.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ s: String) { description = s }
}

/// A fresh folder under $TMPDIR (or /tmp).
func makeTempDirectory(prefix: String) throws -> String {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
    guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw BenchError("cannot create a temp folder under \(base)")
    }
    return String(cString: p)
}
