import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// Runs async work to completion from synchronous command code (the command's thread is not part
/// of Swift's cooperative pool, so waiting here cannot starve it).
func blocking(_ body: @escaping @Sendable () async -> Void) {
    let done = Locked(false)
    Task.detached {
        await body()
        done.withLock { $0 = true }
    }
    while !done.withLock({ $0 }) { usleep(2_000) }
}
