import Foundation
import Protocol
import Tasks

/// Where a sidecar program lives and how its failures are classified.
enum SidecarCommand {
    static func python(_ s: AgentBoardSettings, base: String?) -> String { AgentBoardSettings.path(s.venv, base: base) + "/bin/python" }
    static func script(_ family: String, _ s: AgentBoardSettings, base: String?) -> String {
        AgentBoardSettings.path(s.scripts, base: base) + "/\(family)_sidecar.py"
    }

    /// Fails the unit as `data_missing` when the environments are not installed.
    static func check(family: String, config: ClusterConfig) throws {
        let python = python(config.agentboard, base: config.baseDirectory)
        let script = script(family, config.agentboard, base: config.baseDirectory)
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw UnitFailure(.dataMissing, "AgentBoard environments are not installed: no \(python); run scripts/setup-agentboard")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw UnitFailure(.dataMissing, "no sidecar program for the '\(family)' environment: \(script) is missing")
        }
    }

    /// Starts the family's sidecar for lane `lane` of the unit, its stderr in the worker's logs folder.
    static func start(family: String, lane: Int, context: UnitContext) async throws -> Sidecar {
        let s = context.config.agentboard, base = context.config.baseDirectory
        let log = "\(context.worker.logsDir)/agentboard-\(context.worker.name)-\(family)-\(lane).log"
        try? FileManager.default.createDirectory(atPath: context.worker.logsDir, withIntermediateDirectories: true)
        do {
            return try await Sidecar.start(name: family, python: python(s, base: base), script: script(family, s, base: base), logFile: log,
                                           startTimeout: s.startTimeoutSeconds)
        } catch let e as SidecarError {
            if case .environment(let m) = e {
                throw UnitFailure(.dataMissing, "the '\(family)' environment cannot start (\(m)); run scripts/setup-agentboard")
            }
            throw failure(e, episode: nil)
        }
    }

    /// A hang is a `timeout`; an environment that cannot run here `data_missing`; a crash, a
    /// malformed reply or an environment exception a `scorer_error`.
    static func failure(_ e: SidecarError, episode: Episode?) -> UnitFailure {
        let which = episode.map { "episode \($0.sampleId): " } ?? ""
        if case .timedOut = e { return UnitFailure(.timeout, which + e.description) }
        if case .unavailable = e { return UnitFailure(.dataMissing, which + e.description) }
        return UnitFailure(.scorerError, which + e.description)
    }
}
