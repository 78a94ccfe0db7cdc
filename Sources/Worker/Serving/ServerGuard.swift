/// A POSIX `sh` wrapper that makes a server die with its worker.
///
/// Linux's parent-death signal is tied to the spawning *thread*, which is unreliable from Swift's
/// thread pool (swift-stack.md §7). Instead the server runs under this guard, which leads the
/// server's own session and process group (`createSession`). Every second the guard reads its
/// parent pid from `/proc/$$/stat`; when it is no longer the worker's pid (the worker died and the
/// guard was re-parented), it sends SIGTERM to its whole group, waits up to the grace period for
/// the engine to leave, then sends SIGKILL to the group (itself included). Comparing the parent pid
/// rather than probing the worker's pid cannot be fooled by pid reuse.
///
/// A SIGTERM to the guard (the manager stops the group) is passed on to the engine; the guard
/// then exits with the engine's status, so exit codes and signals reach the manager unchanged
/// (a signal shows as 128 + its number).
enum ServerGuard {
    /// `sh -c SCRIPT NAME WORKER_PID GRACE_SECONDS COMMAND...`
    static func arguments(workerPID: Int32, graceSeconds: Int, command: [String]) -> [String] {
        ["-c", script, "acbench-server-guard", String(workerPID), String(graceSeconds)] + command
    }

    static let shell = "/bin/sh"

    static let script = #"""
    worker=$1; grace=$2; shift 2
    "$@" &
    child=$!
    trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
    alive() { [ -e "/proc/$child" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$child/status" 2>/dev/null; }
    while alive; do
        read -r _ _ _ parent _ < "/proc/$$/stat"
        if [ "$parent" != "$worker" ]; then
            trap '' TERM INT HUP
            echo "acbench-server-guard: worker $worker is gone; stopping process group $$" >&2
            kill -TERM "-$$" 2>/dev/null
            i=0
            while [ "$i" -lt "$grace" ] && alive; do sleep 1; i=$((i + 1)); done
            kill -KILL "-$$"
        fi
        sleep 1
    done
    wait "$child"
    """#
}
