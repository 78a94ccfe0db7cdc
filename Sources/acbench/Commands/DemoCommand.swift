import ArgumentParser
import Coordinator
import Protocol
import Report
#if canImport(Glibc)
import Glibc
#endif

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the embedded demo sweep on this machine: a coordinator and two CPU workers as child processes.",
        discussion: """
            Runs sweeps/demo.toml (SmolLM2-135M-Instruct served by vLLM, a small Needle-in-a-Haystack grid) \
            through the real runner: `acbench coordinator` and `acbench worker` processes talking over ZeroMQ on \
            loopback, vLLM servers spawned by the workers, results in the state database. Shows live progress, \
            then the results table. Needs `scripts/setup` (the vLLM environment and the model folder). \
            Re-running it reuses what is done; worker and server logs are under logs/.
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The sweep to run.")
    var sweep: String = "sweeps/demo.toml"

    @Option(help: "Number of local workers (CPU slots).")
    var workers: Int = 2

    func run() async throws {
        let config = try cluster.load()
        let spec = try loadSweep(sweep)
        let base = baseDirectory(config)
        for m in spec.models {
            let path = m.path.hasPrefix("/") ? m.path : base + "/" + m.path
            guard Files.exists(path + "/config.json") else {
                throw CLIError("demo: model \(m.name) is not at \(path) — run scripts/setup (or scripts/prepare-model) first")
            }
        }
        if config.serving.engine == "vllm", let venv = config.serving.venv, !Files.exists(venv + "/bin/vllm") {
            throw CLIError("demo: no vLLM in \(venv) — run scripts/setup (or scripts/setup-serving) first")
        }
        if spec.tasks.contains(where: { $0.suite == "agentboard" }),
           case let python = AgentBoardSettings.path(config.agentboard.venv, base: config.baseDirectory) + "/bin/python",
           !Files.exists(python) {
            throw CLIError("demo: the sweep has AgentBoard tasks but \(python) is missing — run scripts/setup (or scripts/setup-agentboard) first")
        }
        let common = ["--config", cluster.configPath, "--log-level", cluster.logLevel]
        let coordinator = try await ChildProcess.start(name: "coordinator", arguments: ["coordinator", sweep] + common, log: nil)
        var children: [ChildProcess] = []
        for i in 0..<max(1, workers) {
            let name = "demo-\(i)"
            let args = ["worker", "--name", name, "--slot", String(i), "--gpus", "none"] + common
            children.append(try await ChildProcess.start(name: name, arguments: args, log: config.paths.logs + "/\(name).out"))
        }
        let workerProcesses = children
        let trap = SignalTrap([SIGINT, SIGTERM]) { sig in
            coordinator.signal(sig)
            workerProcesses.forEach { $0.signal(SIGINT) }
        }
        defer { trap.cancel() }
        let status = await coordinator.wait()
        for c in children {
            let t = Task { try? await Task.sleep(nanoseconds: 20_000_000_000); c.signal(SIGTERM) }
            _ = await c.wait()
            t.cancel()
        }
        guard status == 0 else { throw CLIError("demo: the coordinator exited with status \(status); see \(config.paths.logs)/") }
        let store = try StateStore(path: config.paths.state, readOnly: true)
        print("")
        let results = try StudyResults.load(store: store, sweep: spec.name)
        print(results.terminal)
        let reportFolder = base + "/reports/" + spec.name
        try results.write(to: reportFolder)
        print("report: \(reportFolder)/report.html (also report.md, results.csv, results.json, analysis.csv)")
        print("logs: \(config.paths.logs)/ (coordinator.log, worker-*.log, vllm-*.log); state: \(config.paths.state)")
        let failed = try store.sweepRecords(sweep: spec.name).filter { $0.state == .failed }
        if !failed.isEmpty { throw CLIError("demo: \(failed.count) unit(s) failed; `acbench status` shows why") }
    }
}
