#if canImport(Glibc)
import Glibc
#endif

/// Sleeps for `duration` even when the calling task is cancelled. Cleanup loops (waiting for a
/// process group to empty, for an exit code) must keep their pace after a cancellation: a
/// `try? await Task.sleep` returns at once in a cancelled task and turns such a loop into a spin.
func pause(_ duration: Duration) async {
    if Task.isCancelled {
        let (s, atto) = duration.components
        usleep(UInt32(min(1_000_000, s * 1_000_000 + atto / 1_000_000_000_000)))
    } else {
        try? await Task.sleep(for: duration)
    }
}
