import CCurl
import CCurlShim
import Synchronization

/// An HTTP/1.1 client over libcurl's multi interface: one dedicated OS thread owns the `CURLM`
/// handle and drives every transfer; async callers submit requests and are resumed through
/// continuations. Connections are kept alive and reused; at most `maxInFlight` transfers run at
/// once and later submissions wait in FIFO order. Shut down by ``shutdown()`` or when released.
public final class HTTPTransport: Sendable {
    private let core: TransportCore
    private let nextID = Atomic<UInt64>(1)

    /// - Parameter maxInFlight: transfers running at once (and keep-alive connections kept); at least 1.
    public init(maxInFlight: Int = 256) {
        core = TransportCore(maxInFlight: max(1, maxInFlight))
        let core = self.core
        startDetachedThread { core.run() }
    }

    deinit { shutdown() }

    /// Sends `request` and returns the server's response, whatever its status. Throws
    /// ``HTTPTransportError`` when no response arrived, or `CancellationError` if the task is cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let ticket = CancelTicket()
        let core = self.core
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<HTTPResponse, any Error>) in
                guard ticket.markSubmitted() else { return cont.resume(throwing: CancellationError()) }
                if !core.post(.submit(HTTPTransportJob(id: id, request: request, continuation: cont))) {
                    cont.resume(throwing: HTTPTransportError.shutDown)
                }
            }
        } onCancel: {
            if ticket.markCancelled() { _ = core.post(.cancel(id)) }
        }
    }

    /// Stops the loop thread: transfers in flight or queued fail with ``HTTPTransportError/shutDown``,
    /// later ``send(_:)`` calls fail at once. Idempotent; does not wait for the thread to exit.
    public func shutdown() { _ = core.post(.shutdown) }
}

/// A submitted request and the continuation its caller waits on.
struct HTTPTransportJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let continuation: CheckedContinuation<HTTPResponse, any Error>
}

/// Orders a request's submission against its cancellation, whichever comes first.
private final class CancelTicket: Sendable {
    private enum State { case idle, submitted, cancelled }
    private let state = Mutex(State.idle)
    /// False when cancellation came first (the request must not be submitted).
    func markSubmitted() -> Bool {
        state.withLock { s in if s == .cancelled { return false }; s = .submitted; return true }
    }
    /// True when the request was already submitted (the loop must be told to cancel it).
    func markCancelled() -> Bool {
        state.withLock { s in let was = s; s = .cancelled; return was == .submitted }
    }
}

/// State shared between submitters and the loop thread. `inbox` is the only part other threads
/// touch (plus `curl_multi_wakeup`, which libcurl allows from any thread, called under the inbox
/// lock while the loop is open); everything else belongs to the loop thread.
private final class TransportCore: @unchecked Sendable {
    enum Command: Sendable { case submit(HTTPTransportJob), cancel(UInt64), shutdown }
    struct Inbox { var commands: [Command] = []; var open = true }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let maxInFlight: Int
    // Loop-thread state.
    private var waiting: [HTTPTransportJob] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var spareHandles: [UnsafeMutableRawPointer] = []

    init(maxInFlight: Int) {
        CurlGlobal.ensureInitialised()
        guard let m = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        multi = m
        self.maxInFlight = maxInFlight
        _ = ccurl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, maxInFlight)
    }

    /// Queues a command and wakes the loop; false once the loop is closed. Only the first command
    /// of a batch pays for the wake-up: the loop takes the whole inbox at once.
    func post(_ command: Command) -> Bool {
        inbox.withLock { inbox in
            guard inbox.open else { return false }
            let wasEmpty = inbox.commands.isEmpty
            inbox.commands.append(command)
            if case .shutdown = command { inbox.open = false }
            if wasEmpty { _ = curl_multi_wakeup(multi) }
            return true
        }
    }

    func run() {
        var running: Int32 = 0
        while true {
            let commands = inbox.withLock { inbox in
                let c = inbox.commands; inbox.commands = []; return c
            }
            var stop = false
            for command in commands {
                switch command {
                case .submit(let job): waiting.append(job)
                case .cancel(let id): cancel(id)
                case .shutdown: stop = true
                }
            }
            if stop { break }
            startWaiting()
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            startWaiting()
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        tearDown()
    }

    private func startWaiting() {
        while active.count < maxInFlight, waitingHead < waiting.count {
            let job = waiting[waitingHead]
            waitingHead += 1
            let easy = spareHandles.popLast() ?? makeEasyHandle()
            let transfer = CurlTransfer(easy: easy, job: job)
            active[easy] = transfer
            let rc = curl_multi_add_handle(multi, easy)
            if rc != CURLM_OK {
                active[easy] = nil
                recycle(easy)
                let detail = String(cString: curl_multi_strerror(rc))
                job.continuation.resume(throwing: HTTPTransportError.connection("curl_multi_add_handle: \(detail)"))
            }
        }
        if waitingHead == waiting.count { waiting.removeAll(keepingCapacity: true); waitingHead = 0 }
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                  let transfer = active.removeValue(forKey: easy) else { continue }
            let result = transfer.result(msg.pointee.data.result)
            _ = curl_multi_remove_handle(multi, easy)
            recycle(easy)
            transfer.job.continuation.resume(with: result.mapError { $0 as any Error })
        }
    }

    private func cancel(_ id: UInt64) {
        if let i = waiting[waitingHead...].firstIndex(where: { $0.id == id }) {
            let job = waiting.remove(at: i)
            job.continuation.resume(throwing: CancellationError())
            return
        }
        guard let (easy, transfer) = active.first(where: { $0.value.job.id == id }) else { return }
        active[easy] = nil
        _ = curl_multi_remove_handle(multi, easy)
        recycle(easy)
        transfer.job.continuation.resume(throwing: CancellationError())
    }

    private func makeEasyHandle() -> UnsafeMutableRawPointer {
        guard let easy = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        return easy
    }

    /// Keeps up to `maxInFlight` reset easy handles for reuse.
    private func recycle(_ easy: UnsafeMutableRawPointer) {
        if spareHandles.count < maxInFlight {
            curl_easy_reset(easy)
            spareHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }

    private func tearDown() {
        for (easy, transfer) in active {
            _ = curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            transfer.job.continuation.resume(throwing: HTTPTransportError.shutDown)
        }
        active.removeAll()
        for job in waiting[waitingHead...] { job.continuation.resume(throwing: HTTPTransportError.shutDown) }
        waiting.removeAll()
        // Commands posted before the inbox closed but after the last drain.
        let late = inbox.withLock { inbox in let c = inbox.commands; inbox.commands = []; return c }
        for case .submit(let job) in late { job.continuation.resume(throwing: HTTPTransportError.shutDown) }
        for easy in spareHandles { curl_easy_cleanup(easy) }
        spareHandles.removeAll()
        curl_multi_cleanup(multi)
    }
}

/// `curl_global_init` exactly once per process, before the first handle.
enum CurlGlobal {
    private static let initialised: Bool = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK }()
    static func ensureInitialised() { precondition(initialised, "curl_global_init failed") }
}
