import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process in its own session (`POSIX_SPAWN_SETSID`: leader of a new process group, so
/// one signal to the group stops it and whatever it started), with pipes to its stdin and stdout
/// and its stderr appended to a file. The parent keeps the pipe ends `stdin` and `stdout`.
struct SpawnedChild {
    let pid: Int32
    let stdin: Int32
    let stdout: Int32

    init(argv: [String], environment: [String: String], stderrFile: String) throws {
        // A write to the pipe of a child that died must fail with EPIPE, not kill the worker.
        signal(SIGPIPE, SIG_IGN)
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw SpawnError("pipe: errno \(errno)") }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Self.setsid)
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, &attr, cArgs, cEnv)
        close(toChild[0]); close(fromChild[1])
        guard rc == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw SpawnError("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
        }
        pid = child; stdin = toChild[1]; stdout = fromChild[0]
    }

    /// glibc's `POSIX_SPAWN_SETSID` (not exported without `_GNU_SOURCE`).
    static let setsid: Int16 = 0x80

    /// Waits for `pid` to end; how it ended, in words.
    static func reap(_ pid: Int32) -> String {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(signal)"
    }
}

struct SpawnError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
