/// Field checks applied to every decoded message before anything else reads it.
enum MessageValidator {
    static let maxIdLength = 256

    static func validate(_ m: WireMessage) throws {
        let c = m.command
        func require(_ ok: Bool, _ field: String, _ detail: String) throws {
            if !ok { throw WireError.invalid(command: c, field: field, detail: detail) }
        }
        func id(_ s: String, _ field: String) throws {
            try require(!s.isEmpty && s.utf8.count <= maxIdLength && !s.contains("\0"), field,
                        "must be 1–\(maxIdLength) bytes without NUL")
        }
        func epochSeq(_ epoch: Int, _ seq: Int?) throws {
            try require(epoch >= 1, "epoch", "must be ≥ 1, got \(epoch)")
            if let seq { try require(seq >= 1, "seq", "must be ≥ 1, got \(seq)") }
        }
        switch m {
        case .ready(let r):
            try id(r.worker, "worker"); try id(r.incarnation, "incarnation")
            try require(r.minor >= 0, "minor", "must be ≥ 0")
            try require(r.capabilities.memoryGiB >= 0 && r.capabilities.memoryGiB.isFinite, "capabilities.memoryGiB", "must be a finite number ≥ 0")
            try require(r.capabilities.gpus.allSatisfy { $0 >= 0 }, "capabilities.gpus", "GPU ids must be ≥ 0")
            for u in r.running { try id(u.unit, "running.unit"); try epochSeq(u.epoch, nil) }
        case .ask: break
        case .progress(let p):
            try id(p.unit, "unit"); try epochSeq(p.epoch, nil)
            try require(p.done >= 0 && p.total >= 0, "done/total", "must be ≥ 0")
        case .result(let r):
            try id(r.unit, "unit"); try epochSeq(r.epoch, r.seq)
            try id(r.sample.sampleId, "sample.sampleId")
            try require(r.sample.index >= 0, "sample.index", "must be ≥ 0, got \(r.sample.index)")
            try require(r.sample.scores.values.allSatisfy { !$0.isNaN }, "sample.scores", "must not be NaN")
        case .finish(let f):
            try id(f.unit, "unit"); try epochSeq(f.epoch, f.seq)
            try require(f.sampleCount >= 0, "sampleCount", "must be ≥ 0")
            try require(f.outcome == .done || f.failure != nil, "failure", "a failed FINISH needs a failure class")
        case .leaving: break
        case .assign(let a):
            try id(a.unit.id, "unit.id"); try epochSeq(a.epoch, nil)
            try require(a.leaseSeconds > 0, "leaseSeconds", "must be > 0")
            try require(a.completed.allSatisfy { $0.count == 2 && $0[0] <= $0[1] && $0[0] >= 0 }, "completed",
                        "must be [lo, hi] pairs with 0 ≤ lo ≤ hi")
        case .noWork(let n): try require(n.retryAfterMs >= 0, "retryAfterMs", "must be ≥ 0")
        case .ack(let a): try id(a.unit, "unit"); try epochSeq(a.epoch, nil)
            try require(a.seqs.allSatisfy { $0 >= 1 }, "seqs", "must be ≥ 1")
        case .cancel(let x): try id(x.unit, "unit"); try epochSeq(x.epoch, nil)
        case .disconnect: break
        case .heartbeat: break
        }
    }
}
