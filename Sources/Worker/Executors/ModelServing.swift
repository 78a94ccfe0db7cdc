import Protocol
import Tasks

/// Gets an eval unit's model served, for every executor that talks to a model: an
/// OpenAI-compatible URL (`engine = "external"`), or the worker's own server, started or reused
/// for the unit's artifact (warm reuse across units); and turns request errors into failure classes.
struct ModelServing: Sendable {
    let servers: ServerManager

    /// The endpoint for `context`'s unit; reports the server's start as progress so the lease lives.
    func endpoint(_ context: UnitContext, generation: GenerationSettings, base: String, sink: any UnitSink) async throws -> Endpoint {
        let started = monotonicClock()
        let reporter = Task {
            while !Task.isCancelled {
                sink.progress(done: 0, total: 0, note: "starting the server (\(Int(monotonicClock() - started)) s)")
                try? await Task.sleep(nanoseconds: 2_000_000_000)
            }
        }
        defer { reporter.cancel() }
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
    func failure(_ e: OpenAIError, server: Endpoint) async -> UnitFailure {
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

extension SuiteError {
    /// The failure class of a suite error (data problems are `data_missing`).
    var unitFailure: UnitFailure {
        switch self {
        case .dataMissing, .badData: return UnitFailure(.dataMissing, description)
        case .scorer: return UnitFailure(.scorerError, description)
        }
    }
}
