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
        abstract: "Run the workers of this host: connect to the coordinator, take units, run them, stream results back.",
        discussion: """
            `--gpus all` (or a list such as 0,1,2,3) starts one worker process per GPU, or per group of \
            --gpus-per-worker GPUs for tensor parallelism; `--cpu-slots N` starts N CPU workers. Without these \
            flags the host's [[hosts]] entry in cluster.conf decides, else one worker runs (on GPU SLOT if the \
            machine has GPUs). With several workers this process supervises them: each child is pinned \
            (CUDA_VISIBLE_DEVICES), has its own log (logs/worker-NAME.log) and journal, and is restarted with \
            backoff if it dies; the children stop when this process dies, even by SIGKILL. \
            Results not yet acknowledged are kept in the journal and replayed after a reconnect or a restart. \
            SIGTERM drains (each worker finishes its unit); a second SIGTERM, or SIGINT, stops at once and hands \
            the leases back. Workers exit when the coordinator says the sweep is finished. Before starting, the \
            worker checks the server command, the GPUs, its folders and keys (--check does only that). \
            Exit status 78 means a permanent error (refused key, bad configuration): do not restart.
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Worker name (unique in the cluster; with CURVE, the name its key is listed under). Default: HOST-SLOT; with several workers, NAME-SLOT.")
    var name: String?

    @Option(help: "Slot index on this host of the (first) worker: selects port ranges and, without --gpus, the GPU.")
    var slot: Int = 0

    @Option(help: "GPUs: `all`, ids such as 0,1,2,3 (one worker per GPU or per --gpus-per-worker group), or `none`.")
    var gpus: String?

    @Option(help: "GPUs per worker (tensor-parallel group). Default: the host's gpus_per_worker in cluster.conf, else 1.")
    var gpusPerWorker: Int?

    @Option(help: "Run N CPU workers (a machine without GPUs).")
    var cpuSlots: Int?

    @Option(help: "This host's name in cluster.conf [[hosts]] (default: matched by host name); workers report it as their host.")
    var host: String?

    @Option(help: "Memory each worker offers in GiB (default: its GPUs' memory, or host memory ÷ 2 for a CPU slot).")
    var memoryGib: Double?

    @Option(help: "Coordinator endpoint to connect to (default: cluster.conf coordinator.connect, else bind).")
    var connect: String?

    @Option(help: "Unit kinds the workers take: compress,eval,analysis (default: the host's kinds in cluster.conf, else both).")
    var kinds: String?

    @Flag(help: "Keep asking for work after the sweep is finished.")
    var stayUp = false

    @Flag(help: "Only check that the server command, GPUs, folders, keys and the coordinator are usable, then exit (1 if not).")
    var check = false

    @Option(help: .hidden) var supervisedBy: Int32?

    func run() throws {
        do { try execute() } catch let e as CLIError {
            Terminal.err("Error: \(e)\n")
            throw ExitCode(WorkerSupervisor.permanentExit)
        }
    }

    func execute() throws {
        let config = try cluster.load()
        let request = WorkerPlacement.Request(name: name, slot: slot, gpus: gpus, gpusPerWorker: gpusPerWorker,
                                              cpuSlots: cpuSlots, host: host, kinds: kinds)
        let placement = try WorkerPlacement.resolve(request, config: config, machineName: Hardware.hostName(),
                                                    available: { Hardware.gpus().map(\.index) })
        let endpoint = connect ?? config.coordinator.connectEndpoint
        if supervisedBy == nil || check {
            let findings = Preflight(config: config, gpus: placement.slots.flatMap(\.gpus), workerNames: placement.slots.map(\.name),
                                     endpoint: endpoint, kinds: placement.kinds).run()
            let summary = placement.slots.map { "\($0.name) (\($0.gpus.isEmpty ? "cpu" : "GPU " + $0.gpus.map(String.init).joined(separator: ",")))" }
            if check || findings.contains(where: { !$0.ok }) {
                print("acbench worker on host \(placement.host): \(summary.joined(separator: ", "))")
                print(Preflight.render(findings), terminator: "")
            }
            if check { throw ExitCode(findings.allSatisfy(\.ok) ? 0 : 1) }
            if let f = findings.first(where: { !$0.ok && $0.blocksStart }) { throw CLIError("worker cannot start: \(f.name): \(f.detail)") }
        }
        if placement.slots.count == 1 {
            try runOne(placement.slots[0], placement: placement, config: config, endpoint: endpoint)
        } else {
            try supervise(placement, config: config, endpoint: endpoint)
        }
    }

    /// Several workers: one child process each, supervised.
    func supervise(_ placement: WorkerPlacement, config: ClusterConfig, endpoint: String) throws {
        FileLogHandler.bootstrap(path: config.paths.logs + "/worker-supervisor-\(placement.host).log", level: cluster.level, echo: true)
        let log = Logger(label: "acbench.supervisor")
        let kindList = placement.kinds.map(\.rawValue).joined(separator: ",")
        var common = ["--config", cluster.configPath, "--log-level", cluster.logLevel, "--host", placement.host,
                      "--connect", endpoint, "--kinds", kindList, "--supervised-by", String(getpid())]
        if let memoryGib { common += ["--memory-gib", String(memoryGib)] }
        if stayUp { common.append("--stay-up") }
        let children = placement.slots.map { s in
            let gpuArgs = s.gpus.isEmpty ? ["--gpus", "none"]
                : ["--gpus", s.gpus.map(String.init).joined(separator: ","), "--gpus-per-worker", String(s.gpus.count)]
            return WorkerSupervisor.Child(name: s.name, arguments: ["worker", "--name", s.name, "--slot", String(s.slot)] + gpuArgs + common)
        }
        let supervisor = WorkerSupervisor(children: children, logsDir: config.paths.logs, logger: log)
        let trap = SignalTrap([SIGTERM, SIGINT]) { sig in sig == SIGTERM ? supervisor.drain() : supervisor.stopNow() }
        defer { trap.cancel() }
        log.info("supervising \(children.count) workers on host \(placement.host) (pid \(getpid())): \(children.map(\.name).joined(separator: ", "))")
        let status = Locked<Int32>(0)
        blocking { let s = await supervisor.run(); status.withLock { $0 = s } }
        guard status.withLock({ $0 }) == 0 else { throw ExitCode(1) }
    }

    /// One worker in this process.
    func runOne(_ slot: WorkerPlacement.Slot, placement: WorkerPlacement, config: ClusterConfig, endpoint: String) throws {
        let workerName = slot.name
        FileLogHandler.bootstrap(path: config.paths.logs + "/worker-\(workerName).log", level: cluster.level, echo: true)
        let log = Logger(label: "acbench.worker.\(workerName)")
        let (device, memory) = describe(slot.gpus)
        setenv("CUDA_VISIBLE_DEVICES", slot.gpus.map(String.init).joined(separator: ","), 1)
        let identity = WorkerIdentity(name: workerName, slot: slot.slot, host: placement.host, gpus: slot.gpus,
                                      artifactsDir: config.paths.artifacts, logsDir: config.paths.logs,
                                      stateDir: Files.directory(of: config.paths.state))
        let caps = Capabilities(host: placement.host, gpus: slot.gpus, device: device, memoryGiB: memoryGib ?? memory,
                                artifacts: localArtifacts(config.paths.artifacts), kinds: placement.kinds)
        let options = WorkerOptions(endpoint: endpoint, identity: identity, capabilities: caps,
                                    journalPath: "\(config.paths.journal)/\(workerName).journal",
                                    curve: try curveKeys(config, workerName), exitWhenSweepDone: !stayUp)
        let (executors, servers) = WorkerExecutors.standard(config: config, identity: identity, logger: log)
        blocking { if let r = try? await servers.cleanupStale() { log.notice("cleaned up a server an earlier run left: \(r)") } }
        defer { blocking { try? await servers.stop() } }
        let runtime = try WorkerRuntime(options: options, config: config, executors: executors, logger: log)
        if let parent = supervisedBy {
            ParentWatch.start(parent: parent) {
                log.error("the supervising `acbench worker` (pid \(parent)) is gone; stopping now")
                runtime.stop(drain: false)
            }
        }
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

    /// The CURVE keys of `workerName` when cluster.conf configures CURVE.
    func curveKeys(_ config: ClusterConfig, _ workerName: String) throws -> (serverKey: String, keys: CurveKeyPair)? {
        guard let c = config.curve else { return nil }
        let secretPath = (c.workerKeysDir ?? (baseDirectory(config) + "/keys")) + "/\(workerName).key_secret"
        guard let secret = Files.readText(secretPath).map({ $0.split(separator: "\n").first.map(String.init) ?? "" }),
              CurveKeyPair.isValidZ85Key(secret) else {
            throw CLIError("CURVE is configured but \(secretPath) does not hold this worker's secret key (make one with `acbench keys \(workerName)`)")
        }
        return (c.serverPublic, CurveKeyPair(publicKey: try CurveKeyPair.publicKey(forSecret: secret), secretKey: secret))
    }

    /// Device name and memory (GiB) of a worker's GPUs, or of a CPU slot.
    func describe(_ gpus: [Int]) -> (String, Double) {
        guard !gpus.isEmpty else { return ("cpu", Hardware.hostMemoryGiB() / 2) }
        let chosen = Hardware.gpus().filter { gpus.contains($0.index) }
        return (chosen.first?.name ?? "gpu", chosen.reduce(0) { $0 + $1.memoryGiB })
    }

    /// Compress units whose artifacts are already in the artifact folder (their folder names are unit ids).
    func localArtifacts(_ dir: String) -> [String] {
        Set(Files.listRecursive(dir).filter { $0.hasSuffix("/manifest.json") }.map { String($0.dropLast("/manifest.json".count)) }).sorted()
    }
}
