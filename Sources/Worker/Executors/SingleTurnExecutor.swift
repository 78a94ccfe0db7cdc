import Logging
import Protocol
import Tasks

/// Runs eval units of single-turn suites end to end: make sure the unit's model is served (warm
/// reuse across units of the same artifact), build the suite's prompts, send them with many in
/// flight, score each answer and stream it as a sample result. Samples stored by an earlier
/// attempt are skipped, so a retried unit continues from the first unscored sample.
public struct SingleTurnExecutor: UnitExecutor {
    let servers: ServerManager
    let log: Logger

    public init(servers: ServerManager, logger: Logger = Logger(label: "acbench.eval")) {
        self.servers = servers; self.log = logger
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
        // Starting a server takes minutes on big models: report it as progress so the lease lives.
        let started = monotonicClock()
        let reporter = Task {
            while !Task.isCancelled {
                sink.progress(done: 0, total: 0, note: "starting the server (\(Int(monotonicClock() - started)) s)")
                try? await Task.sleep(nanoseconds: 2_000_000_000)
            }
        }
        let server: Endpoint
        do { server = try await endpoint(context, generation: generation, base: base); reporter.cancel() } catch {
            reporter.cancel()
            throw error
        }
        let client = OpenAIClient(.init(baseURL: server.baseURL, model: server.model,
                                        maxInFlight: max(1, context.assignment.hints.concurrency ?? context.config.serving.concurrency)))
        defer { client.shutdown() }

        let prompts: [EvalPrompt]
        do {
            prompts = try await suite.prompts(task: task, shard: unit.shard, shardCount: unit.shardCount,
                                              context: SuiteContext(dataRoot: base, tokenizer: ServerTokenizer(client: client)))
        } catch let e as SuiteError {
            switch e {
            case .dataMissing, .badData: throw UnitFailure(.dataMissing, e.description)
            case .scorer: throw UnitFailure(.scorerError, e.description)
            }
        } catch let e as OpenAIError {
            throw await serverFailure(e, server: server)
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
            throw await serverFailure(error, server: server)
        }
        var result: SampleResult
        do { result = try suite.score(prompt: p, output: completion.text) } catch {
            throw UnitFailure(.scorerError, "sample \(p.sampleId): \(error)")
        }
        result.latencyMs = (monotonicClock() - started) * 1000
        return result
    }

    /// Where the unit's model answers: an OpenAI-compatible URL (`engine = "external"`), or the
    /// worker's own server, started or reused for the unit's artifact.
    func endpoint(_ context: UnitContext, generation: GenerationSettings, base: String) async throws -> Endpoint {
        let serving = context.config.serving
        if serving.engine == "external" {
            guard let url = serving.url else { throw UnitFailure(.serverStart, "serving.engine = external needs serving.url") }
            return Endpoint(baseURL: url, model: context.unit.model.path, logFile: nil)
        }
        let running = try await serve(context, generation: generation, base: base)
        return Endpoint(baseURL: running.baseURL, model: running.spec.servedName, logFile: running.logFile)
    }

    /// Starts (or reuses) the server for the unit's artifact.
    func serve(_ context: UnitContext, generation: GenerationSettings, base: String) async throws -> RunningServer {
        let unit = context.unit
        let model: String
        if unit.method.algorithm == "none" {
            model = unit.model.path.hasPrefix("/") ? unit.model.path : base + "/" + unit.model.path
        } else if let a = context.assignment.artifact {
            model = a.path
        } else {
            throw UnitFailure(.internalError, "eval unit \(unit.slot) has no artifact from its compress unit")
        }
        var extra = ["--generation-config", "vllm"]
        if generation.enforceEager { extra.append("--enforce-eager") }
        if let u = context.assignment.hints.gpuMemoryUtilization, !context.worker.gpus.isEmpty {
            extra += ["--gpu-memory-utilization", String(u)]
        }
        let spec = ServerSpec(model: model, servedName: "\(unit.model.name)-\(unit.method.name)",
                              dtype: generation.dtype == "auto" ? nil : generation.dtype,
                              maxModelLen: context.assignment.hints.maxModelLen ?? generation.maxModelLen, extraArgs: extra)
        let logFile = "\(context.worker.logsDir)/vllm-\(context.worker.name).log"
        do {
            return try await servers.ensureRunning(spec, logFile: logFile) { running in
                let probe = OpenAIClient(.init(baseURL: running.baseURL, model: running.spec.servedName, maxRetries: 0))
                defer { probe.shutdown() }
                _ = try await probe.complete("Hello", GenerationParameters(maxTokens: 1, temperature: 0, topP: 1, seed: 0))
            }
        } catch let f as ServerStartFailure {
            throw UnitFailure(f.failureClass, "\(f.message) (log: \(f.logFile))\n\(f.logExcerpt)")
        }
    }

    /// Turns a request error into a classified failure: a dead server is a serving failure with its log.
    func serverFailure(_ e: OpenAIError, server: Endpoint) async -> UnitFailure {
        if let log = server.logFile, await !servers.isAlive {
            let tail = (Files.readText(log) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n")
            return UnitFailure(.serverStart, "the server died during the unit (\(e)); log \(log):\n\(tail)")
        }
        if case .connection = e, let log = server.logFile {
            // Alive but not answering (its engine died under its API process, say): a serving failure too.
            let tail = (Files.readText(log) ?? "").split(separator: "\n").suffix(15).joined(separator: "\n")
            return UnitFailure(.serverStart, "the server stopped answering (\(e)); log \(log):\n\(tail)")
        }
        if case .timeout = e { return UnitFailure(.timeout, "\(e)") }
        if case .http(404, _) = e { return UnitFailure(.badModel, "\(e)") }
        return UnitFailure(.internalError, "request failed: \(e)")
    }
}

/// An OpenAI-compatible endpoint serving the unit's model.
struct Endpoint: Sendable {
    var baseURL: String
    /// The model name requests carry.
    var model: String
    /// The server log, when this worker runs the server.
    var logFile: String?
}
