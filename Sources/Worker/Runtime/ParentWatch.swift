#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// Makes a supervised worker die with its supervisor (`acbench worker --gpus all`).
///
/// Linux's parent-death signal belongs to the spawning *thread*, which is unreliable under Swift's
/// thread pool, so a plain thread compares `getppid()` with the supervisor's pid instead: once it
/// differs, the supervisor is gone (SIGKILL, crash) and this worker was re-parented. The watch then
/// calls `onOrphaned` once (the worker stops now and its server guard takes the vLLM group down)
/// and, should the worker still be alive `hardExitAfter` seconds later, ends the process.
public enum ParentWatch {
    public static func start(parent: Int32, interval: Double = 0.2, hardExitAfter: Double = 30,
                             onOrphaned: @escaping @Sendable () -> Void) {
        startOSThread(name: "parent-watch") {
            while getppid() == parent { usleep(UInt32(interval * 1_000_000)) }
            onOrphaned()
            usleep(UInt32(hardExitAfter * 1_000_000))
            _exit(137)
        }
    }
}
