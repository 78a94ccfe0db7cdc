import FoundationEssentials
import Subprocess
import SystemPackage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One launched server: the guard process (leader of its own session and process group) with the
/// engine under it, its output appended to a log file. Knows when the guard has exited and how.
final class ServerProcess: Sendable {
    /// Process group id = session id = the guard's pid.
    let group: Int32
    /// `/proc` start time of the guard, recorded in the pidfile.
    let startTicks: UInt64
    private let exit: ExitState
    private let finished: Task<Void, Never>

    private init(group: Int32, startTicks: UInt64, exit: ExitState, finished: Task<Void, Never>) {
        self.group = group; self.startTicks = startTicks; self.exit = exit; self.finished = finished
    }

    /// Exit code of the guard (which passes the engine's through; 128 + N for signal N), nil while running.
    var exitCode: Int32? { exit.code }

    /// Spawns `/bin/sh` running `ServerGuard` around `plan.command`, with `createSession = true`.
    /// Throws a `.launchFailed` failure when the log cannot be opened or the spawn fails.
    static func launch(plan: LaunchPlan, logFile: String, graceSeconds: Int) async throws -> ServerProcess {
        let fd = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ServerStartFailure(kind: .launchFailed, message: "cannot open log file \(logFile) (errno \(errno))", logFile: logFile)
        }
        var options = PlatformOptions()
        options.createSession = true
        var updates: [Environment.Key: String?] = [:]
        for (name, value) in plan.environment { if let key = Environment.Key(rawValue: name) { updates[key] = value } }
        let arguments = ServerGuard.arguments(workerPID: getpid(), graceSeconds: graceSeconds, command: plan.command)

        let (pids, pidSink) = AsyncStream<Int32>.makeStream()
        let exit = ExitState()
        let finished = Task {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(ServerGuard.shell)), arguments: Arguments(arguments),
                    environment: .inherit.updating(updates), platformOptions: options,
                    input: .none, output: .fileDescriptor(FileDescriptor(rawValue: fd), closeAfterSpawningProcess: true),
                    error: .combinedWithOutput
                ) { execution in
                    pidSink.yield(execution.processIdentifier.value)
                    pidSink.finish()
                }
                switch result.terminationStatus {
                case .exited(let code): exit.exited(code)
                case .signaled(let signal): exit.exited(128 + signal)
                }
            } catch {
                pidSink.finish()
                exit.failed(String(describing: error))
            }
        }
        var iterator = pids.makeAsyncIterator()
        guard let pid = await iterator.next() else {
            await finished.value
            throw ServerStartFailure(kind: .launchFailed, message: "could not spawn \(ServerGuard.shell): \(exit.spawnError ?? "unknown error")",
                                     logFile: logFile)
        }
        return ServerProcess(group: pid, startTicks: ProcessTable.stat(pid)?.startTicks ?? 0, exit: exit, finished: finished)
    }

    /// Waits up to `seconds` for the guard to exit; its exit code, or nil when still running.
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while exitCode == nil && ContinuousClock.now < deadline { await pause(.milliseconds(50)) }
        return exitCode
    }

    /// Waits until the guard has been reaped.
    func reaped() async { await finished.value }
}

/// How the guard ended, written by the task that awaits it.
private final class ExitState: Sendable {
    private let state = Mutex<(code: Int32?, spawnError: String?)>((nil, nil))
    func exited(_ code: Int32) { state.withLock { $0.code = code } }
    func failed(_ error: String) { state.withLock { $0.spawnError = error } }
    var code: Int32? { state.withLock { $0.code } }
    var spawnError: String? { state.withLock { $0.spawnError } }
}
