#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new detached OS thread, outside Swift's cooperative pool, so that blocking
/// C calls (here `curl_multi_poll`) never hold a pool thread (swift-stack.md §5.6).
func startDetachedThread(_ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    let arg = Unmanaged.passRetained(Box(body)).toOpaque()
    #if canImport(Glibc)
    var tid = pthread_t()
    #else
    var tid: pthread_t?
    #endif
    let rc = pthread_create(&tid, nil, { arg in
        Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue().body()
        return nil
    }, arg)
    precondition(rc == 0, "pthread_create failed with error \(rc)")
    #if canImport(Glibc)
    pthread_detach(tid)
    #else
    pthread_detach(tid!)
    #endif
}
