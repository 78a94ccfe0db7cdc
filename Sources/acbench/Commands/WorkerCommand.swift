import ArgumentParser
import Logging
import Protocol
import Worker
#if canImport(Glibc)
import Glibc
#endif

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run one worker: connect to the coordinator, take units, run them, stream results back.",
        discussion: """
            The worker pins CUDA_VISIBLE_DEVICES to its GPUs for everything it spawns, or runs as a CPU slot on a \
            machine without GPUs. Results not yet acknowledged are kept in a journal file and replayed after a \
            reconnect or a restart, so a killed worker loses nothing. SIGTERM drains (the current unit finishes); \
            a second SIGTERM or SIGINT stops at once. It exits when the coordinator says the sweep is finished.
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Worker name (unique in the cluster; with CURVE, the name its key is listed under). Default: HOST-SLOT.")
    var name: String?

    @Option(help: "Slot index on this host (selects port ranges and, without --gpus, the GPU).")
    var slot: Int = 0

    @Option(help: "GPU ids to pin, e.g. 0 or 0,1 (tensor parallel); `none` for a CPU slot. Default: GPU SLOT if any.")
    var gpus: String?

    @Option(help: "Memory this worker offers in GiB (default: its GPUs' memory, or host memory ÷ 2 for a CPU slot).")
    var memoryGib: Double?

    @Option(help: "Coordinator endpoint to connect to (default: cluster.conf coordinator.connect, else bind).")
    var connect: String?

    @Option(help: "Unit kinds this worker takes: compress,eval,analysis.")
    var kinds: String = "compress,eval,analysis"

    @Flag(help: "Keep asking for work after the sweep is finished.")
    var stayUp = false

    func run() throws {
        let config = try cluster.load()
        let host = Hardware.hostName()
        let workerName = name ?? "\(host)-\(slot)"
        let dir = config.paths.journal
        FileLogHandler.bootstrap(path: config.paths.logs + "/worker-\(workerName).log", level: cluster.level, echo: true)
        let log = Logger(label: "acbench.worker.\(workerName)")
        let (pinned, device, memory) = try placement()
        setenv("CUDA_VISIBLE_DEVICES", pinned.map(String.init).joined(separator: ","), 1)
        let unitKinds = try kinds.split(separator: ",").map { k -> UnitKind in
            guard let u = UnitKind(rawValue: String(k)) else { throw CLIError("--kinds: '\(k)' is not a unit kind (compress, eval, analysis)") }
            return u
        }
        let identity = WorkerIdentity(name: workerName, slot: slot, host: host, gpus: pinned,
                                      artifactsDir: config.paths.artifacts, logsDir: config.paths.logs,
                                      stateDir: Files.directory(of: config.paths.state))
        let caps = Capabilities(host: host, gpus: pinned, device: device, memoryGiB: memoryGib ?? memory,
                                artifacts: localArtifacts(config.paths.artifacts), kinds: unitKinds)
        var curve: (serverKey: String, keys: CurveKeyPair)?
        if let c = config.curve {
            let secretPath = (c.workerKeysDir ?? (baseDirectory(config) + "/keys")) + "/\(workerName).key_secret"
            guard let secret = Files.readText(secretPath).map({ $0.split(separator: "\n").first.map(String.init) ?? "" }),
                  CurveKeyPair.isValidZ85Key(secret) else {
                throw CLIError("CURVE is configured but \(secretPath) does not hold this worker's secret key (make one with `acbench keys \(workerName)`)")
            }
            curve = (c.serverPublic, CurveKeyPair(publicKey: try CurveKeyPair.publicKey(forSecret: secret), secretKey: secret))
        }
        let options = WorkerOptions(endpoint: connect ?? config.coordinator.connectEndpoint, identity: identity,
                                    capabilities: caps, journalPath: "\(dir)/\(workerName).journal", curve: curve,
                                    exitWhenSweepDone: !stayUp)
        let (executors, servers) = WorkerExecutors.standard(config: config, identity: identity, logger: log)
        blocking { if let r = try? await servers.cleanupStale() { log.notice("cleaned up a server an earlier run left: \(r)") } }
        defer { blocking { try? await servers.stop() } }
        let runtime = try WorkerRuntime(options: options, config: config, executors: executors, logger: log)
        let terms = Locked(0)
        let trap = SignalTrap([SIGTERM, SIGINT]) { sig in
            let n = terms.withLock { $0 += 1; return $0 }
            let drain = sig == SIGTERM && n == 1
            log.notice(drain ? "SIGTERM: finishing the current unit, then leaving" : "stopping now")
            runtime.stop(drain: drain)
        }
        defer { trap.cancel() }
        switch try runtime.run() {
        case .finished: log.info("sweep finished; worker exits")
        case .stopped: log.info("worker stopped")
        case .refused(let why): throw CLIError("worker \(workerName): \(why)")
        }
    }

    /// GPU ids, device name and memory for this worker.
    func placement() throws -> ([Int], String, Double) {
        let all = Hardware.gpus()
        if gpus == "none" || (gpus == nil && all.isEmpty) {
            return ([], "cpu", Hardware.hostMemoryGiB() / 2)
        }
        let ids: [Int]
        if let gpus {
            ids = try gpus.split(separator: ",").map { s in
                guard let i = Int(s) else { throw CLIError("--gpus: '\(s)' is not a GPU id (use e.g. 0,1 or none)") }
                return i
            }
        } else { ids = [slot] }
        let chosen = all.filter { ids.contains($0.index) }
        guard chosen.count == ids.count else {
            throw CLIError("--gpus \(ids.map(String.init).joined(separator: ",")): nvidia-smi lists GPUs \(all.map { String($0.index) }.joined(separator: ",")) only")
        }
        return (ids, chosen.first?.name ?? "gpu", chosen.reduce(0) { $0 + $1.memoryGiB })
    }

    /// Compress units whose artifacts are already in the artifact folder (their folder names are unit ids).
    func localArtifacts(_ dir: String) -> [String] {
        Set(Files.listRecursive(dir).filter { $0.hasSuffix("/manifest.json") }.map { String($0.dropLast("/manifest.json".count)) }).sorted()
    }
}
