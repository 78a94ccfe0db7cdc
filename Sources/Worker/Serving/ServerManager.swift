import FoundationEssentials
import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// Owns the inference server of one worker slot: starts it from `ServingSettings`, decides when it
/// is ready, reuses it for the same `ServerSpec`, stops it by process group, and reaps what an
/// earlier run of the same slot left behind (serving.md §7, §9; cluster.md §5 rules 9-11).
public actor ServerManager {
    /// Per-slot settings that do not come from `cluster.conf`'s `[serving]` table.
    public struct Options: Sendable {
        /// Slot index on this host: picks the port block and names the pidfile.
        public var slot: Int
        /// GPUs pinned through `CUDA_VISIBLE_DEVICES`; empty on a CPU slot.
        public var gpus: [Int]
        /// Folder for the pidfile and the per-slot cache/IPC folders.
        public var stateDirectory: String
        /// SIGTERM → SIGKILL grace when stopping (also used by the guard when the worker dies).
        public var stopGraceSeconds: Double
        /// `VLLM_CPU_KVCACHE_SPACE` on CPU slots, whole GiB.
        public var cpuKVCacheGiB: Int
        /// Start-up deadline; nil takes `ServingSettings.startupTimeoutSeconds`.
        public var startupTimeoutSeconds: Double?
        /// Readiness poll interval.
        public var pollInterval: Duration

        public init(slot: Int, gpus: [Int] = [], stateDirectory: String, stopGraceSeconds: Double = 15,
                    cpuKVCacheGiB: Int = 1, startupTimeoutSeconds: Double? = nil, pollInterval: Duration = .seconds(1)) {
            self.slot = slot; self.gpus = gpus; self.stateDirectory = stateDirectory; self.stopGraceSeconds = stopGraceSeconds
            self.cpuKVCacheGiB = cpuKVCacheGiB; self.startupTimeoutSeconds = startupTimeoutSeconds; self.pollInterval = pollInterval
        }
    }

    /// The last readiness step, run once `/health` is 200 and `/v1/models` lists the served name:
    /// the integrator passes a one-token completion. Throwing marks the start as failed.
    public typealias DeepCheck = @Sendable (RunningServer) async throws -> Void

    public let settings: ServingSettings
    public let options: Options
    /// The server that passed readiness and has not been stopped (it may have died since: see `isAlive`).
    public private(set) var current: RunningServer?
    private var process: ServerProcess?
    /// One public operation at a time: actor methods interleave at every `await`.
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(settings: ServingSettings, options: Options) {
        self.settings = settings
        self.options = options
    }

    private var pidfilePath: String { ServerPidfile.path(stateDirectory: options.stateDirectory, slot: options.slot) }
    private var runDirectory: String { "\(options.stateDirectory)/serving/slot\(options.slot)" }
    private var ports: PortBlock { PortBlock(base: settings.portBase, stride: settings.portStride, slot: options.slot) }

    /// True while the current server's process has not exited.
    public var isAlive: Bool { process.map { $0.exitCode == nil } ?? false }

    /// True when the current server is alive and `GET /health` answers 200 (for watching it during a unit).
    public func isHealthy() async -> Bool {
        guard let current, isAlive else { return false }
        return await LoopbackHTTP.requestOffPool(port: current.port, path: "/health")?.status == 200
    }

    /// Returns a ready server for `spec`: the current one when it serves the same spec and still
    /// answers `/health` (warm reuse), otherwise stops the current one (or, on first use, reaps a
    /// stale one recorded in the slot's pidfile), waits until its process group is empty, and
    /// starts a new one, appending its stdout+stderr to `logFile`.
    /// - Throws: `ServerStartFailure` (classified), or `ProcessGroupError` when the old server
    ///   would not die.
    public func ensureRunning(_ spec: ServerSpec, logFile: String, deepCheck: DeepCheck) async throws -> RunningServer {
        await acquire()
        defer { release() }
        if let current, current.spec == spec, await isHealthy() { return current }
        if process == nil { _ = try await reapStale() }
        try await stopServer()
        try checkModelFolder(spec.model)
        do {
            try FileManager.default.createDirectory(atPath: options.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw ServerStartFailure(kind: .launchFailed, message: "cannot create state folder \(options.stateDirectory): \(error)")
        }
        try? FileManager.default.createDirectory(atPath: parentFolder(logFile), withIntermediateDirectories: true)

        var skipped: [Int] = []
        var lastPortFailure: ServerStartFailure?
        for port in ports.httpCandidates {
            guard PortBlock.isFree(port) else { skipped.append(port); continue }
            do {
                let server = try await start(spec, port: port, logFile: logFile, skipped: skipped, deepCheck: deepCheck)
                current = server
                return server
            } catch let failure as ServerStartFailure where failure.kind == .portInUse {
                skipped.append(port)
                lastPortFailure = failure
            }
        }
        throw ServerStartFailure(
            kind: .portInUse,
            message: "every HTTP port of slot \(options.slot)'s block is taken: \(skipped.map(String.init).joined(separator: ", "))",
            logExcerpt: lastPortFailure?.logExcerpt ?? "", logFile: logFile, exitCode: lastPortFailure?.exitCode)
    }

    /// Stops the current server: SIGTERM to its process group, SIGKILL after the grace period,
    /// and returns only once the group has no live process. Removes the pidfile.
    public func stop() async throws {
        await acquire()
        defer { release() }
        try await stopServer()
    }

    private func stopServer() async throws {
        current = nil
        guard let process else { return }
        try await ProcessTable.terminateGroup(process.group, grace: options.stopGraceSeconds)
        await process.reaped()
        self.process = nil
        ServerPidfile.remove(pidfilePath)
    }

    /// Kills the server an earlier run of this slot left behind, as recorded in its pidfile. A group
    /// is killed only when its leader's start time matches the record or its members carry the
    /// launch tag, so a recycled pid is never signalled. Returns what was found (nil: no pidfile).
    @discardableResult
    public func cleanupStale() async throws -> StaleServerReport? {
        await acquire()
        defer { release() }
        return try await reapStale()
    }

    private func reapStale() async throws -> StaleServerReport? {
        guard let record = ServerPidfile.read(pidfilePath) else { return nil }
        if let process, process.group == record.processGroup { return nil }  // our own, live server
        let (all, owned) = record.ownedMembers()
        var report = StaleServerReport(pidfile: pidfilePath, processGroup: record.processGroup, outcome: .alreadyGone, members: all.count)
        if !owned.isEmpty {
            try await ProcessTable.terminateGroup(record.processGroup, grace: options.stopGraceSeconds)
            report.outcome = .killed
        } else if !all.isEmpty {
            report.outcome = .notOurs
        }
        ServerPidfile.remove(pidfilePath)
        return report
    }

    /// One launch on one port, through every readiness step.
    private func start(_ spec: ServerSpec, port: Int, logFile: String, skipped: [Int], deepCheck: DeepCheck) async throws -> RunningServer {
        let tag = "\(getpid())-\(options.slot)-\(UInt64.random(in: 0 ... .max))"
        do {
            for folder in ["cache", "rpc"] {
                try FileManager.default.createDirectory(atPath: "\(runDirectory)/\(folder)", withIntermediateDirectories: true)
            }
        } catch {
            throw ServerStartFailure(kind: .launchFailed, message: "cannot create \(runDirectory): \(error)", logFile: logFile)
        }
        let plan = LaunchPlan.make(settings: settings, spec: spec, port: port, gpus: options.gpus,
                                   internalPortBase: ports.internalBase, runDirectory: runDirectory, tag: tag,
                                   inheritedPath: ProcessInfo.processInfo.environment["PATH"], cpuKVCacheGiB: options.cpuKVCacheGiB)
        let log = ServerLog(path: logFile)
        log.append("=== acbench: starting server (slot \(options.slot), port \(port)): \(plan.command.joined(separator: " "))\n")
        let began = ContinuousClock.now
        let process = try await ServerProcess.launch(plan: plan, logFile: logFile, graceSeconds: Int(options.stopGraceSeconds.rounded(.up)))
        self.process = process
        do {
            try ServerPidfile(processGroup: process.group, startTicks: process.startTicks, bootID: ProcessTable.bootID(), tag: tag,
                              port: port, model: spec.model, logFile: logFile, workerPID: getpid()).write(to: pidfilePath)
        } catch {
            throw await failed(log, code: nil, fallback: .launchFailed, "cannot write pidfile \(pidfilePath): \(error)",
                               classifyLog: false)
        }

        let timeout = options.startupTimeoutSeconds ?? settings.startupTimeoutSeconds
        let deadline = began + .milliseconds(Int(timeout * 1000))
        while true {
            if let code = process.exitCode {
                throw await failed(log, code: code, fallback: .serverFailed, "the server exited during start-up")
            }
            if ContinuousClock.now >= deadline {
                throw await failed(log, code: nil, fallback: .startupTimeout,
                                   "not ready after \(Int(timeout)) s (process alive, /health or /v1/models not answering)",
                                   classifyLog: false)
            }
            if await LoopbackHTTP.requestOffPool(port: port, path: "/health")?.status == 200 {
                let names = await servedNames(port: port)
                if let names {
                    guard names.contains(spec.servedName) else {
                        throw await failed(log, code: nil, fallback: .serverFailed,
                                           "/v1/models lists \(names) but not the served name '\(spec.servedName)'", classifyLog: false)
                    }
                    let server = RunningServer(spec: spec, port: port, processGroup: process.group, logFile: logFile,
                                               startupSeconds: seconds(since: began), skippedPorts: skipped)
                    do {
                        try await deepCheck(server)
                    } catch {
                        // A model vLLM cannot run passes /health and dies on its first request (§6, §10).
                        let code = await process.waitForExit(seconds: 3)
                        throw await failed(log, code: code, fallback: .serverFailed, "the deep check failed: \(error)")
                    }
                    if process.exitCode == nil { return server }
                }
            }
            do { try await Task.sleep(for: options.pollInterval) } catch {
                // The unit was cancelled while its server started: do not leave a half-started server.
                try? await stopServer()
                throw CancellationError()
            }
        }
    }

    private func acquire() async {
        if busy { await withCheckedContinuation { waiters.append($0) } } else { busy = true }
    }

    /// Hands the turn to the next waiter (which then runs with `busy` still set), or frees it.
    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    /// `/v1/models` ids, or nil while it does not answer 200 yet.
    private func servedNames(port: Int) async -> [String]? {
        guard let response = await LoopbackHTTP.requestOffPool(port: port, path: "/v1/models"), response.status == 200 else { return nil }
        struct Models: Decodable { struct Model: Decodable { var id: String }; var data: [Model] }
        return (try? JSONDecoder().decode(Models.self, from: Data(response.body.utf8)))?.data.map(\.id) ?? []
    }

    /// Stops what is left of the failed launch and builds the classified failure.
    private func failed(_ log: ServerLog, code: Int32?, fallback: ServerStartFailure.Kind, _ message: String,
                        classifyLog: Bool = true) async -> ServerStartFailure {
        try? await stopServer()
        let text = log.sinceStart()
        var kind = (classifyLog ? StartupLogClassifier.classify(text) : nil) ?? fallback
        var message = message
        if kind == .serverFailed, code == 128 + SIGKILL {
            kind = .outOfMemory
            message += "; killed by SIGKILL that acbench did not send (likely the kernel's out-of-memory killer)"
        }
        return ServerStartFailure(kind: kind, message: message, logExcerpt: ServerLog.excerpt(text), logFile: log.path, exitCode: code)
    }

    /// Refuses a model path that is clearly not a model folder before spending a start-up on it.
    private func checkModelFolder(_ model: String) throws {
        // Anything that looks like a path or exists on disk is a folder; other names are engine ids
        // (a hub id the engine resolves, or fails on with a message the log classifier knows).
        let looksLikePath = model.hasPrefix("/") || model.hasPrefix("./") || model.hasPrefix("../")
        guard looksLikePath || FileManager.default.fileExists(atPath: model) else { return }
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory else {
            throw ServerStartFailure(kind: .badModel, message: "model folder \(model) does not exist")
        }
        guard FileManager.default.fileExists(atPath: model + "/config.json") else {
            throw ServerStartFailure(kind: .badModel, message: "model folder \(model) has no config.json")
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func parentFolder(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
