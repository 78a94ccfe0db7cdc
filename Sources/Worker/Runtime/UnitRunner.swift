import Protocol

extension WorkerRuntime {
    /// Starts the unit of an ASSIGN as a Swift task (never on the I/O thread).
    func start(_ a: AssignMessage) {
        let busy = shared.withLock { s -> Bool in
            if s.unit != nil { return true }
            s.unit = a.unit.id; s.epoch = a.epoch; s.nextSeq = 1; s.cancelled = false
            s.done = 0; s.total = 0; s.note = ""; s.progressDirty = false
            return false
        }
        if busy {
            log.error("coordinator assigned \(a.unit.slot) while another unit runs; refusing it")
            enqueue(.finish(.init(unit: a.unit.id, epoch: a.epoch, seq: 1, outcome: .failed, sampleCount: 0,
                                  failure: .internalError, message: "worker \(options.identity.name) was busy")))
            return
        }
        log.info("running \(a.unit.slot) (epoch \(a.epoch), attempt \(a.attempt))")
        let task = Task.detached { [self] in await self.execute(a) }
        shared.withLock { if $0.unit == a.unit.id && $0.epoch == a.epoch { $0.task = task } }
    }

    func execute(_ a: AssignMessage) async {
        let unit = a.unit.id, epoch = a.epoch
        let sink = RunSink(runtime: self, unit: unit, epoch: epoch)
        let context = UnitContext(assignment: a, worker: options.identity, config: config)
        var finish: FinishMessage
        do {
            guard let executor = registry.executor(for: a.unit) else {
                throw UnitFailure(.internalError, "this worker has no executor for \(a.unit.kind.rawValue) units of "
                                  + (a.unit.kind == .eval ? "suite '\(a.unit.task?.suite ?? "?")'" : "algorithm '\(a.unit.method.algorithm)'"))
            }
            let outcome = try await executor.run(context, sink: sink)
            finish = FinishMessage(unit: unit, epoch: epoch, seq: 0, outcome: .done, sampleCount: outcome.sampleCount,
                                   summary: outcome.summary, artifact: outcome.artifact, analysis: outcome.analysis)
            switch a.unit.kind {
            case .compress: shared.withLock { if !$0.artifacts.contains(unit) { $0.artifacts.append(unit) } }
            case .eval: shared.withLock { $0.serving = a.unit.artifactKey }
            case .analysis: break
            }
        } catch let f as UnitFailure {
            finish = FinishMessage(unit: unit, epoch: epoch, seq: 0, outcome: .failed, sampleCount: 0,
                                   failure: f.failure, message: f.message)
        } catch {
            if isCancelled(unit, epoch) { return clear(unit, epoch) }
            finish = FinishMessage(unit: unit, epoch: epoch, seq: 0, outcome: .failed, sampleCount: 0,
                                   failure: .internalError, message: "\(error)")
        }
        // FINISH goes out only once every RESULT of the unit is acknowledged.
        while journal.pendingCount(unit: unit, epoch: epoch) > 0 && !isCancelled(unit, epoch) {
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        guard !isCancelled(unit, epoch) else { return clear(unit, epoch) }
        finish.seq = shared.withLock { s in defer { s.nextSeq += 1 }; return s.nextSeq }
        do { try journal.append(.init(unit: unit, epoch: epoch, seq: finish.seq, result: nil, finish: finish)) } catch {
            log.error("cannot journal FINISH of \(a.unit.slot): \(error)")
        }
        enqueue(.finish(finish))
        while journal.pendingCount(unit: unit, epoch: epoch) > 0 && !isCancelled(unit, epoch) {
            try? await Task.sleep(nanoseconds: 2_000_000)
        }
        log.info("\(finish.outcome == .done ? "finished" : "failed") \(a.unit.slot)\(finish.message.map { ": \($0)" } ?? "")")
        clear(unit, epoch)
    }

    func isCancelled(_ unit: String, _ epoch: Int) -> Bool {
        shared.withLock { $0.unit != unit || $0.epoch != epoch || $0.cancelled }
    }

    func clear(_ unit: String, _ epoch: Int) {
        shared.withLock { s in
            if s.unit == unit && s.epoch == epoch { s.unit = nil; s.task = nil; s.cancelled = false }
        }
        wake.signal()
    }
}
