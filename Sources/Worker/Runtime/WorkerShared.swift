import Protocol

/// State the I/O thread and the unit runner share (always through `Locked`).
struct RunState: Sendable {
    /// The unit being run, if any.
    var unit: String?
    var epoch = 0
    var nextSeq = 1
    var cancelled = false
    var task: Task<Void, Never>?
    /// Latest progress, and whether it changed since the I/O thread last sent it.
    var done = 0
    var total = 0
    var note = ""
    var progressDirty = false
    /// Artifact key the worker serves (warm) — reported in ASK and READY.
    var serving: String?
    var artifacts: [String] = []
}

/// The unit runner's sink: journal first, then queue for sending.
struct RunSink: UnitSink {
    let runtime: WorkerRuntime
    let unit: String
    let epoch: Int

    func emit(_ sample: SampleResult) async throws {
        // Back-pressure: do not run far ahead of the coordinator's acknowledgements.
        while runtime.journal.pendingCount(unit: unit, epoch: epoch) > 5000 {
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        let seq: Int? = runtime.shared.withLock { s in
            guard s.unit == unit, s.epoch == epoch, !s.cancelled else { return nil }
            defer { s.nextSeq += 1 }
            return s.nextSeq
        }
        guard let seq else { throw CancellationError() }
        let m = ResultMessage(unit: unit, epoch: epoch, seq: seq, sample: sample)
        try runtime.journal.append(.init(unit: unit, epoch: epoch, seq: seq, result: m, finish: nil))
        runtime.enqueue(.result(m))
    }

    func progress(done: Int, total: Int, note: String) {
        runtime.shared.withLock { s in
            guard s.unit == unit, s.epoch == epoch else { return }
            s.done = done; s.total = total; s.note = note; s.progressDirty = true
        }
    }
}
