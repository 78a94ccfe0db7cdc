import ArgumentParser
import Coordinator
import Protocol

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a sweep's progress from the state database (read-only; safe while the coordinator runs).")

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Sweep name (default: the one the coordinator ran last).")
    var sweep: String?

    func run() throws {
        let config = try cluster.load()
        do {
            let store = try StateStore(path: config.paths.state, readOnly: true)
            print(try StatusReport(store: store, sweep: sweep, artifactsShared: config.paths.artifactsShared).render(), terminator: "")
        } catch { throw CLIError("status: \(error)") }
    }
}
