import Logging
import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// Runs one `acbench worker` child process per slot (GPU group or CPU slot) and keeps them up.
///
/// - A child that dies abnormally (a signal, or a non-zero status other than `permanentExit`) is
///   started again after a backoff: 1 s doubling to 60 s, back to 1 s once a child ran 5 minutes.
/// - A child that exits 0 (the sweep is finished) or with `permanentExit` (refused by the
///   coordinator, bad configuration) is not restarted.
/// - `drain()` (SIGTERM) passes SIGTERM on: each child finishes its unit, or hands its lease back
///   on a second SIGTERM; `stopNow()` passes SIGINT (stop at once, lease handed back).
/// - Children are started with `--supervised-by PID` and stop by themselves when this process
///   disappears (`ParentWatch`), so a SIGKILL of the supervisor takes them and their servers down.
final class WorkerSupervisor: Sendable {
    /// Exit status of a worker that must not be restarted (sysexits' EX_CONFIG).
    static let permanentExit: Int32 = 78

    struct Child: Sendable {
        var name: String
        var arguments: [String]
    }

    private let children: [Child]
    private let logsDir: String
    private let log: Logger
    private let state = Locked(State())

    private struct State {
        var running: [String: ChildProcess] = [:]
        /// 0 running, 1 draining (SIGTERM passed on), 2 stopping now.
        var stopLevel = 0
    }

    init(children: [Child], logsDir: String, logger: Logger) {
        self.children = children; self.logsDir = logsDir; self.log = logger
    }

    /// Starts every child, supervises them, and returns once all have ended for good: 0 when each
    /// ended with 0 or because it was asked to stop, 1 otherwise.
    func run() async -> Int32 {
        await withTaskGroup(of: Bool.self) { group in
            for child in children { group.addTask { await self.supervise(child) } }
            var ok = true
            for await childOK in group { ok = ok && childOK }
            return ok ? 0 : 1
        }
    }

    /// SIGTERM: let every child drain. A second call stops them at once.
    func drain() {
        let (level, running) = state.withLock { s -> (Int, [ChildProcess]) in
            s.stopLevel = min(2, s.stopLevel + 1)
            return (s.stopLevel, Array(s.running.values))
        }
        log.notice(level == 1 ? "draining \(running.count) worker(s) (SIGTERM passed on)" : "stopping \(running.count) worker(s) now")
        running.forEach { $0.signal(level == 1 ? SIGTERM : SIGINT) }
    }

    /// SIGINT: stop every child now (each hands its lease back).
    func stopNow() {
        let running = state.withLock { s -> [ChildProcess] in s.stopLevel = 2; return Array(s.running.values) }
        running.forEach { $0.signal(SIGINT) }
    }

    private var stopping: Bool { state.withLock { $0.stopLevel > 0 } }

    /// Runs `child` until it ends for good; true when it ended cleanly.
    private func supervise(_ child: Child) async -> Bool {
        var backoff = 1.0
        var restarts = 0
        while !stopping {
            let began = monotonicClock()
            let process: ChildProcess
            do {
                process = try await ChildProcess.start(name: child.name, arguments: child.arguments,
                                                       log: "\(logsDir)/worker-\(child.name).out")
            } catch {
                log.error("cannot start worker \(child.name): \(error)")
                return false
            }
            let level = state.withLock { s -> Int in s.running[child.name] = process; return s.stopLevel }
            if level > 0 { process.signal(level == 1 ? SIGTERM : SIGINT) }  // a stop raced the start
            log.info("worker \(child.name) started (pid \(process.pid)\(restarts > 0 ? ", restart \(restarts)" : ""))")
            let status = await process.wait()
            state.withLock { _ = $0.running.removeValue(forKey: child.name) }
            if status == 0 { log.info("worker \(child.name) finished"); return true }
            if stopping { log.info("worker \(child.name) stopped (status \(status))"); return true }
            if status == Self.permanentExit {
                log.error("worker \(child.name) exited with a permanent error (see \(logsDir)/worker-\(child.name).out); not restarting it")
                return false
            }
            if monotonicClock() - began > 300 { backoff = 1 }
            restarts += 1
            log.warning("worker \(child.name) died (\(Self.describe(status))); restarting in \(Int(backoff)) s")
            let wakeAt = monotonicClock() + backoff
            while monotonicClock() < wakeAt && !stopping { try? await Task.sleep(nanoseconds: 50_000_000) }
            backoff = min(60, backoff * 2)
        }
        return true
    }

    static func describe(_ status: Int32) -> String {
        status > 128 ? "killed by signal \(status - 128)" : "exit status \(status)"
    }
}
