import Foundation
import Logging
import Protocol
import Tasks

/// Runs eval units of multi-turn suites (AgentBoard): the unit's model served as for single-turn
/// suites, its episodes played a few at a time (`agentboard.episodes_in_flight` lanes, each with
/// its own environment sidecar reused across the lane's episodes), one sample result per episode.
/// Episodes stored by an earlier attempt are skipped, so a retry continues with the first unfinished one.
public struct EpisodeExecutor: UnitExecutor {
    let serving: ModelServing
    let log: Logger

    public init(servers: ServerManager, logger: Logger = Logger(label: "acbench.episodes")) {
        serving = ModelServing(servers: servers); log = logger
    }

    public func accepts(_ unit: UnitSpec) -> Bool {
        unit.kind == .eval && unit.task.map { SuiteRegistry.multiTurn($0.suite) != nil } == true
    }

    public func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let unit = context.unit
        guard let task = unit.task, let suite = SuiteRegistry.multiTurn(task.suite) else {
            throw UnitFailure(.internalError, "no multi-turn suite '\(unit.task?.suite ?? "?")'")
        }
        let base = context.config.baseDirectory ?? Files.absolute(".")
        let suiteContext = SuiteContext(dataRoot: base)
        let episodes: [Episode], prompt: AgentPrompt
        do {
            episodes = try suite.episodes(task: task, shard: unit.shard, shardCount: unit.shardCount, context: suiteContext)
            prompt = try suite.agent(task: task, context: suiteContext)
        } catch let e as SuiteError { throw e.unitFailure }
        let settings = context.config.agentboard
        let todo = episodes.filter { !context.completed.contains($0.index) }
        let families = Set(todo.map(\.environment))
        for family in families.sorted() { try SidecarCommand.check(family: family, config: context.config) }
        if todo.isEmpty { return UnitOutcome(sampleCount: episodes.count) }

        let generation = unit.generation ?? GenerationSettings()
        let server = try await serving.endpoint(context, generation: generation, base: base, sink: sink)
        let lanes = min(todo.count, max(1, context.assignment.hints.concurrency ?? settings.episodesInFlight))
        let client = OpenAIClient(.init(baseURL: server.baseURL, model: server.model, maxInFlight: lanes))
        defer { client.shutdown() }
        let maxTokens = Int(task.params["max_tokens"]?.description ?? "") ?? 100
        let runner = EpisodeRunner(prompt: prompt, client: client,
                                   parameters: GenerationParameters(maxTokens: maxTokens, temperature: generation.temperature,
                                                                    topP: generation.topP, seed: generation.seed),
                                   contextLength: context.assignment.hints.maxModelLen ?? generation.maxModelLen,
                                   callTimeout: settings.callTimeoutSeconds)
        let queue = Locked(todo[...])
        let done = Locked(episodes.count - todo.count)
        sink.progress(done: done.withLock { $0 }, total: episodes.count, note: "episodes against \(server.baseURL)")
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<lanes {
                    group.addTask {
                        try await self.lane(lane, queue: queue, runner: runner, context: context) { result in
                            try await sink.emit(result)
                            let n = done.withLock { $0 += 1; return $0 }
                            sink.progress(done: n, total: episodes.count, note: "\(result.sampleId): progress \(result.scores["progress_rate"] ?? 0)")
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch let e as EpisodeModelError {
            throw await serving.failure(e.error, server: server)
        }
        return UnitOutcome(sampleCount: episodes.count)
    }

    /// One lane: takes episodes from `queue` until it is empty, on one sidecar per environment family.
    func lane(_ n: Int, queue: Locked<ArraySlice<Episode>>, runner: EpisodeRunner, context: UnitContext,
              emit: @Sendable (SampleResult) async throws -> Void) async throws {
        var sidecars: [String: Sidecar] = [:]
        do {
            while let episode = queue.withLock({ $0.popFirst() }) {
                try Task.checkCancellation()
                let sidecar: Sidecar
                if let s = sidecars[episode.environment] { sidecar = s } else {
                    sidecar = try await SidecarCommand.start(family: episode.environment, lane: n, context: context)
                    sidecars[episode.environment] = sidecar
                }
                let result: SampleResult
                do { result = try await runner.play(episode, on: sidecar) } catch let e as SidecarError {
                    throw SidecarCommand.failure(e, episode: episode)
                }
                try await emit(result)
            }
        } catch {
            for s in sidecars.values { s.kill() }
            throw error
        }
        for s in sidecars.values { await s.stop() }
    }
}
