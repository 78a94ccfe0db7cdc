import ArgumentParser
import Coordinator
import Dispatch
import Logging
import Protocol
#if canImport(Glibc)
import Glibc
#endif

struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Plan a sweep and serve it to workers until every unit is done (re-run the same command to resume).",
        discussion: """
            Binds the endpoint of cluster.conf ([coordinator] bind), stores every unit and result in the state \
            database ([paths] state) and shows live progress. Workers connect with `acbench worker`. \
            SIGINT/SIGTERM stop it after committing what it holds; running it again continues where it stopped. \
            Units that failed in an earlier run are retried unless --keep-failed is given.
            """)

    @Argument(help: "The sweep file, e.g. sweeps/acbench.toml.")
    var sweep: String

    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Keep units that failed in an earlier run as failed.")
    var keepFailed = false

    @Flag(help: "Keep serving after the sweep is finished (workers keep asking; stop with Ctrl-C).")
    var stayUp = false

    @Flag(help: "Print one summary line every 10 s instead of the live view.")
    var plain = false

    func run() throws {
        let config = try cluster.load()
        let spec = try loadSweep(sweep)
        let logPath = config.paths.logs + "/coordinator.log"
        let live = Terminal.stdoutIsTTY && !plain
        FileLogHandler.bootstrap(path: logPath, level: cluster.level, echo: !live)
        let log = Logger(label: "acbench.coordinator")
        let units = Planner(baseDirectory: baseDirectory(config)).plan(spec)
        let store: StateStore
        do { store = try StateStore(path: config.paths.state) } catch { throw CLIError("cannot open the state database: \(error)") }
        try store.registerPlan(sweep: spec.name, units: units)
        try store.setCurrentSweep(spec.name)
        if !keepFailed, case let n = try store.resetFailed(sweep: spec.name), n > 0 { log.info("retrying \(n) unit(s) that failed before") }
        let engine = try CoordinatorEngine(store: store, sweep: spec.name, units: units, config: config, logger: log)
        let server = CoordinatorServer(engine: engine, config: config, logger: log)
        server.exitWhenFinished = !stayUp
        let view = ProgressView()
        if !live { view.plainInterval = 10 }
        server.onTick = { view.render($0.snapshot()) }
        Terminal.out("acbench coordinator: sweep '\(spec.name)', \(units.count) units, state \(config.paths.state), log \(logPath)\n")
        let signals = SignalTrap([SIGINT, SIGTERM]) { sig in
            log.notice("signal \(sig): stopping after committing what is held")
            server.stop()
        }
        defer { signals.cancel() }
        do { try server.run() } catch { throw CLIError("coordinator: \(error)") }
        view.render(engine.snapshot(), final: true)
        let s = engine.snapshot()
        Terminal.out("\(s.counts[.done] ?? 0) done, \(s.counts[.failed] ?? 0) failed, \(s.total - (s.counts[.done] ?? 0) - (s.counts[.failed] ?? 0)) unfinished; `acbench status` shows details\n")
    }
}

/// Runs a handler (on a dispatch queue) when one of `signals` arrives, instead of the default action.
final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for s in signals {
            signal(s, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: s, queue: .global())
            src.setEventHandler { handler(s) }
            src.resume()
            sources.append(src)
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
