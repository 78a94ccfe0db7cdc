import CZeroMQ
import Protocol

/// What one simulated worker observed.
struct SimStats: Sendable {
    /// Seconds from sending ASK to receiving ASSIGN, one per assignment.
    var askToAssign: [Double] = []
    var unitsFinished = 0
    var resultsSent = 0
    var noWork = 0
    var cancels = 0
    var reRegistrations = 0
    var sweepDoneSeen = false
    var errors: [String] = []

    mutating func merge(_ o: SimStats) {
        askToAssign += o.askToAssign
        unitsFinished += o.unitsFinished; resultsSent += o.resultsSent; noWork += o.noWork
        cancels += o.cancels; reRegistrations += o.reRegistrations; errors += o.errors
    }
}

/// A simulated worker speaking the real wire protocol through `WireCodec` on its own DEALER:
/// READY → ASK → on ASSIGN stream every RESULT of the unit at once → once all are ACKed, FINISH →
/// once FINISH is ACKed, ASK again. It runs no model. Owned by one thread (its socket's owner).
final class SimWorker {
    let name: String
    let socket: ZMQSocket
    let codec: WireCodec
    let heartbeatInterval: Double
    var stats = SimStats()
    /// True once the coordinator said the sweep is done, or refused this worker.
    private(set) var finished = false

    private var unit: String?
    private var epoch = 0
    private var sampleCount = 0
    private var unacked = Set<Int>()
    private var finishSent = false
    private var askSentAt: Double?
    private var nextAskAt: Double?
    private var lastSent = 0.0
    /// Encoded messages waiting because the socket would block (not connected yet, or queue full).
    private var backlog: [[[UInt8]]] = []

    init(name: String, context: ZMQContext, endpoint: String, codec: WireCodec, heartbeatInterval: Double) throws {
        self.name = name; self.codec = codec; self.heartbeatInterval = heartbeatInterval
        socket = try ZMQSocket(context, .dealer)
        try socket.set(ZMQ_SNDHWM, Int32(100_000))
        try socket.set(ZMQ_RCVHWM, Int32(100_000))
        try socket.set(ZMQ_MAXMSGSIZE, Int64(codec.maxBytes))
        try socket.connect(endpoint)
    }

    /// Registers and asks for the first unit.
    func start(now: Double) {
        send(.ready(readyMessage()), now: now)
        ask(now: now)
    }

    private func readyMessage() -> ReadyMessage {
        let caps = Capabilities(host: "bench-host", gpus: [], device: "cpu", memoryGiB: 16, artifacts: [], kinds: [.eval, .compress])
        return ReadyMessage(worker: name, incarnation: "bench-\(name)", capabilities: caps,
                            running: unit.map { [RunningUnit(unit: $0, epoch: epoch)] } ?? [])
    }

    private func send(_ m: WireMessage, now: Double) {
        let frames: [[UInt8]]
        do { frames = try codec.encode(m) } catch { stats.errors.append("\(name): cannot encode \(m.command): \(error)"); return }
        lastSent = now
        if backlog.isEmpty, (try? socket.send(frames)) == true { return }
        backlog.append(frames)
    }

    /// Sends what waited; then ASKs when a NOWORK's retry time has come, or heartbeats when quiet.
    func pump(now: Double) {
        var sent = 0
        for f in backlog {
            guard (try? socket.send(f)) == true else { break }
            sent += 1
        }
        backlog.removeFirst(sent)
        if let t = nextAskAt, now >= t { nextAskAt = nil; ask(now: now) }
        if !finished && now - lastSent >= heartbeatInterval { send(.heartbeat, now: now) }
    }

    private func ask(now: Double) {
        askSentAt = now
        send(.ask(AskMessage()), now: now)
    }

    /// Reads every waiting message; `now` is taken per message for the latency figures.
    func drain() {
        while true {
            let raw: ZMQSocket.Message?
            do { raw = try socket.receive() } catch { stats.errors.append("\(name): receive: \(error)"); return }
            guard let raw else { return }
            let now = monotonicClock()
            do { handle(try codec.decode(raw.frames), now: now) } catch {
                stats.errors.append("\(name): undecodable message: \(error)")
            }
        }
    }

    private func handle(_ m: WireMessage, now: Double) {
        switch m {
        case .assign(let a):
            if let t = askSentAt { stats.askToAssign.append(now - t) }
            askSentAt = nil
            unit = a.unit.id; epoch = a.epoch; finishSent = false
            sampleCount = a.unit.task?.params["samples"]?.intValue ?? 1
            let done = Set(a.completed.flatMap { $0[0]...$0[1] })
            unacked = Set((0..<sampleCount).filter { !done.contains($0) }.map { $0 + 1 })
            for seq in unacked.sorted() { sendResult(seq, now: now) }
            if unacked.isEmpty { sendFinish(now: now) }
        case .ack(let a):
            guard a.unit == unit, a.epoch == epoch else { return }
            for s in a.seqs { unacked.remove(s) }
            if finishSent && a.seqs.contains(sampleCount + 1) {
                unit = nil; finishSent = false; stats.unitsFinished += 1
                ask(now: now)
            } else if unacked.isEmpty && !finishSent {
                sendFinish(now: now)
            }
        case .noWork(let n):
            stats.noWork += 1
            askSentAt = nil
            if n.sweepDone { stats.sweepDoneSeen = true; finished = true } else { nextAskAt = now + Double(n.retryAfterMs) / 1000 }
        case .cancel(let c):
            stats.cancels += 1
            if c.unit == unit && c.epoch == epoch { unit = nil; finishSent = false; ask(now: now) }
        case .disconnect(let d):
            if d.fatal { stats.errors.append("\(name): refused: \(d.reason)"); finished = true; return }
            // Re-register like a real worker after transport loss: READY with the held lease, then replay.
            stats.reRegistrations += 1
            send(.ready(readyMessage()), now: now)
            if unit != nil {
                for seq in unacked.sorted() { sendResult(seq, now: now) }
                if finishSent { finishSent = false; if unacked.isEmpty { sendFinish(now: now) } }
            } else if nextAskAt == nil { ask(now: now) }
        case .heartbeat: break
        case .ready, .ask, .progress, .result, .finish, .leaving:
            stats.errors.append("\(name): coordinator sent \(m.command)")
        }
    }

    private func sendResult(_ seq: Int, now: Double) {
        guard let unit else { return }
        let i = seq - 1
        let sample = SampleResult(sampleId: "synthetic-\(i)", index: i, scores: ["score": Double(i % 97) / 97],
                                  output: "answer \(i)", meta: ["bench": "1"], latencyMs: 0)
        send(.result(ResultMessage(unit: unit, epoch: epoch, seq: seq, sample: sample)), now: now)
        stats.resultsSent += 1
    }

    private func sendFinish(now: Double) {
        guard let unit else { return }
        finishSent = true
        send(.finish(FinishMessage(unit: unit, epoch: epoch, seq: sampleCount + 1, outcome: .done,
                                   sampleCount: sampleCount, summary: [:])), now: now)
    }

    func close() { socket.close() }
}
