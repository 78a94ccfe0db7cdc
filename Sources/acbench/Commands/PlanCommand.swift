import ArgumentParser
import Coordinator
import Protocol

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the units a sweep expands to, and what a run would do now (run, reuse, continue, stale).",
        discussion: """
            Nothing runs and nothing is written. With a state database present, each unit is compared with what \
            is stored: done units are reused, partly done eval units continue from the first unscored sample, \
            and a stored unit whose identity changed (model digest, parameters, data, scorer version...) is \
            listed as stale with the fields that changed; stale results are never reused.
            """)

    @Argument(help: "The sweep file, e.g. sweeps/acbench.toml.")
    var sweep: String

    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "List every unit.")
    var units = false

    func run() throws {
        let config = try cluster.load()
        let spec = try loadSweep(sweep)
        let planned = Planner(baseDirectory: baseDirectory(config)).plan(spec)
        let store = Files.exists(config.paths.state) ? try? StateStore(path: config.paths.state, readOnly: true) : nil
        let diff = try PlanDiff.compute(sweep: spec.name, planned: planned, store: store)
        print(diff.render(sweep: spec, listUnits: units, statePath: store == nil ? nil : config.paths.state))
    }
}
