import ArgumentParser
import Coordinator
import Protocol
import Report

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn the state database into the study's tables and plots (read-only; safe while a sweep runs).",
        discussion: """
            Without --out, prints one format (default md) on standard output. With --out DIR, writes report.md, \
            results.csv/json (one row per model/method/task/metric, with unit ids and artifact digests), \
            analysis.csv/json and report.html (self-contained, inline SVG plots) into DIR — or only the --format given.
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "md, csv, json or html.")
    var format: ReportFormat?

    @Option(help: "Folder to write the report files into.")
    var out: String?

    @Option(help: "Sweep name (default: the one the coordinator ran last).")
    var sweep: String?

    func run() throws {
        let config = try cluster.load()
        do {
            let store = try StateStore(path: config.paths.state, readOnly: true)
            let results = try StudyResults.load(store: store, sweep: sweep)
            guard let out else {
                print((format ?? .md).stdout(results), terminator: "")
                return
            }
            for path in try results.write(formats: format.map { [$0] } ?? ReportFormat.allCases, to: out) { print(path) }
        } catch { throw CLIError("report: \(error)") }
    }
}

extension ReportFormat: ExpressibleByArgument {}
