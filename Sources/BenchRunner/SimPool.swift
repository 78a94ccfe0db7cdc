#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// OS threads that each own several simulated workers (their DEALERs) and poll them all:
/// 256 workers need not mean 256 threads on a 2-core machine.
final class SimPool: @unchecked Sendable {
    let workers: Int
    let threads: Int
    let stopFlag = Locked(false)
    private let results = Locked<(stats: SimStats, sweepDoneSeen: Int, threadsDone: Int)>((SimStats(), 0, 0))

    init(workers: Int, threads: Int) {
        self.workers = workers
        self.threads = max(1, min(threads, workers))
    }

    /// Starts every thread; each creates its workers, sends READY + ASK, then serves until `stop()`.
    func start(endpoint: String, context: ZMQContext, codec: WireCodec, heartbeatInterval: Double) {
        for t in 0..<threads {
            let mine = Array(stride(from: t, to: workers, by: threads))
            startOSThread(name: "bench-sim-\(t)") { [self] in
                self.serve(ids: mine, endpoint: endpoint, context: context, codec: codec, heartbeatInterval: heartbeatInterval)
            }
        }
    }

    private func serve(ids: [Int], endpoint: String, context: ZMQContext, codec: WireCodec, heartbeatInterval: Double) {
        var sims: [SimWorker] = []
        var local = SimStats()
        defer {
            sims.forEach { $0.close() }
            let seen = sims.filter { $0.stats.sweepDoneSeen }.count
            results.withLock { r in r.stats.merge(local); r.sweepDoneSeen += seen; r.threadsDone += 1 }
        }
        do {
            for i in ids {
                sims.append(try SimWorker(name: "sim-\(i)", context: context, endpoint: endpoint, codec: codec,
                                          heartbeatInterval: heartbeatInterval))
            }
        } catch {
            local.errors.append("cannot create a DEALER: \(error)")
            return
        }
        let now0 = monotonicClock()
        sims.forEach { $0.start(now: now0) }
        let items = sims.map { ZMQPoll.Item.socket($0.socket) }
        while !stopFlag.withLock({ $0 }) {
            let readable = ZMQPoll.readable(items, timeoutMs: 5)
            for (i, r) in readable.enumerated() where r { sims[i].drain() }
            let now = monotonicClock()
            sims.forEach { $0.pump(now: now) }
            if sims.allSatisfy(\.finished) { break }
        }
        for s in sims { local.merge(s.stats) }
    }

    /// Asks every thread to stop and waits until all have closed their sockets.
    func stopAndCollect() -> (stats: SimStats, sweepDoneSeen: Int) {
        stopFlag.withLock { $0 = true }
        while results.withLock({ $0.threadsDone }) < threads { usleep(1000) }
        return results.withLock { ($0.stats, $0.sweepDoneSeen) }
    }
}
