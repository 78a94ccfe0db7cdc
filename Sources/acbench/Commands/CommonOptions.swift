import ArgumentParser
import Logging
import Protocol

/// Options every command that reads `cluster.conf` shares.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "The cluster file (where and how the sweep runs).")
    var configPath: String = "cluster.conf"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// Loads the cluster file, turning errors into a clean exit with the loader's message.
    func load() throws -> ClusterConfig {
        do { return try ClusterConfigLoader.load(path: configPath) } catch { throw CLIError("\(error)") }
    }

    var level: Logger.Level { Logger.Level(rawValue: logLevel) ?? .info }
}

/// Loads a sweep file, turning errors into a clean exit with the loader's message.
func loadSweep(_ path: String) throws -> SweepSpec {
    do { return try SweepLoader.load(path: path) } catch { throw CLIError("\(error)") }
}

/// An error printed as-is (no stack, no type name), with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The folder relative paths in sweep files are resolved against: the cluster file's folder.
func baseDirectory(_ config: ClusterConfig) -> String {
    config.baseDirectory ?? Files.absolute(".")
}
