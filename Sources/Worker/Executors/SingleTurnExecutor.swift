import Logging
import Protocol
import Tasks

/// Runs eval units of single-turn suites end to end: make sure the unit's model is served (warm
/// reuse across units of the same artifact), build the suite's prompts, send them with many in
/// flight, score each answer and stream it as a sample result. Samples stored by an earlier
/// attempt are skipped, so a retried unit continues from the first unscored sample.
public struct SingleTurnExecutor: UnitExecutor {
    let serving: ModelServing
    let log: Logger

    public init(servers: ServerManager, logger: Logger = Logger(label: "acbench.eval")) {
        self.serving = ModelServing(servers: servers); self.log = logger
    }

    public func accepts(_ unit: UnitSpec) -> Bool {
        unit.kind == .eval && unit.task.map { SuiteRegistry.singleTurn($0.suite) != nil } == true
    }

    public func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let unit = context.unit
        guard let task = unit.task, let suite = SuiteRegistry.singleTurn(task.suite) else {
            throw UnitFailure(.internalError, "no single-turn suite '\(unit.task?.suite ?? "?")'")
        }
        let generation = unit.generation ?? GenerationSettings()
        let base = context.config.baseDirectory ?? Files.absolute(".")
        let server = try await serving.endpoint(context, generation: generation, base: base, sink: sink)
        let client = OpenAIClient(.init(baseURL: server.baseURL, model: server.model,
                                        maxInFlight: max(1, context.assignment.hints.concurrency ?? context.config.serving.concurrency)))
        defer { client.shutdown() }

        let prompts: [EvalPrompt]
        do {
            prompts = try await suite.prompts(task: task, shard: unit.shard, shardCount: unit.shardCount,
                                              context: SuiteContext(dataRoot: base, tokenizer: ServerTokenizer(client: client)))
        } catch let e as SuiteError {
            throw e.unitFailure
        } catch let e as OpenAIError {
            throw await serving.failure(e, server: server)
        }
        let todo = prompts.filter { !context.completed.contains($0.index) }
        sink.progress(done: prompts.count - todo.count, total: prompts.count, note: "model served at \(server.baseURL)")
        let limit = max(1, context.assignment.hints.concurrency ?? context.config.serving.concurrency)
        var done = prompts.count - todo.count
        try await withThrowingTaskGroup(of: SampleResult.self) { group in
            var next = todo.makeIterator()
            func launch() {
                guard let p = next.next() else { return }
                group.addTask { try await self.answer(p, suite: suite, client: client, generation: generation, server: server) }
            }
            for _ in 0..<limit { launch() }
            while let result = try await group.next() {
                try await sink.emit(result)
                done += 1
                sink.progress(done: done, total: prompts.count, note: "")
                launch()
            }
        }
        return UnitOutcome(sampleCount: prompts.count)
    }

    /// Sends one prompt and scores the answer.
    func answer(_ p: EvalPrompt, suite: any SingleTurnSuite, client: OpenAIClient, generation: GenerationSettings,
                server: Endpoint) async throws -> SampleResult {
        let started = monotonicClock()
        let params = GenerationParameters(maxTokens: p.maxTokens, temperature: generation.temperature, topP: generation.topP,
                                          seed: generation.seed, stop: p.stop)
        let completion: Completion
        do { completion = try await client.generate(p.body, params) } catch {
            if error == .cancelled { throw CancellationError() }
            throw await serving.failure(error, server: server)
        }
        var result: SampleResult
        do { result = try suite.score(prompt: p, output: completion.text) } catch {
            throw UnitFailure(.scorerError, "sample \(p.sampleId): \(error)")
        }
        result.latencyMs = (monotonicClock() - started) * 1000
        return result
    }
}
