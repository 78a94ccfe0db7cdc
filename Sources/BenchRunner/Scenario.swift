import Protocol

/// One run: a real coordinator serves `sweep` to `workers` simulated workers until it is finished.
struct RunResult {
    var sweep: BenchSweep
    var workers: Int
    var seconds: Double
    var verdict: BenchCoordinator.Verdict
    var stats: SimStats
    /// Simulated workers that were told NOWORK(sweepDone) before the coordinator exited.
    var sweepDoneSeen: Int

    var samplesPerSecond: Double { Double(verdict.sampleRows) / seconds }
    var unitsPerSecond: Double { Double(verdict.unitsDone) / seconds }
}

/// Runs `sweep` once. The clock starts when the simulated workers are started (the coordinator
/// is already bound) and stops when the coordinator's thread returns: every unit done and every
/// result committed.
func runOnce(_ sweep: BenchSweep, workers: Int, threads: Int, timeout: Double) throws -> RunResult {
    let coordinator = try BenchCoordinator(sweep: sweep)
    defer { coordinator.cleanUp() }
    let endpoint = try coordinator.start()
    let context = ZMQContext()
    let config = sweep.config(stateDir: coordinator.dir)
    let pool = SimPool(workers: workers, threads: threads)
    let t0 = monotonicClock()
    pool.start(endpoint: endpoint, context: context, codec: WireCodec(maxBytes: config.coordinator.maxMessageBytes),
               heartbeatInterval: Double(config.heartbeat.intervalMs) / 1000)
    let t1 = coordinator.waitFinished(timeout: timeout)
    let (stats, seen) = pool.stopAndCollect()
    context.terminate()
    let verdict = try coordinator.verify()
    if let error = coordinator.finished.withLock({ $0.error }) { throw BenchError("coordinator failed: \(error)") }
    guard let t1 else {
        throw BenchError("""
            run did not finish within \(Int(timeout)) s (\(workers) workers, commit_batch \(sweep.commitBatch)): \
            \(verdict.unitsDone)/\(verdict.unitsTotal) units done, \(verdict.sampleRows)/\(verdict.expected) samples; \
            \(stats.reRegistrations) re-registrations, \(stats.cancels) cancels, errors: \(stats.errors.prefix(3))
            """)
    }
    return RunResult(sweep: sweep, workers: workers, seconds: t1 - t0, verdict: verdict, stats: stats, sweepDoneSeen: seen)
}

/// Runs `sweep` `runs` times and keeps the fastest run; every run must store each sample exactly once.
func bestOf(_ runs: Int, _ sweep: BenchSweep, workers: Int, threads: Int, timeout: Double,
            progress: (String) -> Void) throws -> (best: RunResult, all: [RunResult]) {
    var all: [RunResult] = []
    for i in 1...max(1, runs) {
        let r = try runOnce(sweep, workers: workers, threads: threads, timeout: timeout)
        progress("  run \(i)/\(runs): \(workers) workers, commit_batch \(sweep.commitBatch): "
                 + "\(fixed(r.seconds, 2)) s, \(fixed(r.samplesPerSecond, 0)) samples/s, "
                 + "\(fixed(r.unitsPerSecond, 0)) units/s, \(fixed(r.verdict.samplesPerCommit)) samples/commit, "
                 + "exactly once: \(r.verdict.exactlyOnce ? "yes" : "NO")")
        all.append(r)
    }
    return (all.max { $0.samplesPerSecond < $1.samplesPerSecond }!, all)
}
