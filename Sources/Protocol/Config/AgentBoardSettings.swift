/// `[agentboard]` — where the environment sidecars live and how long they may take
/// (docs/AGENTBOARD.md). Paths given in the file are made absolute against its folder; the
/// defaults stay relative and are resolved against it where they are used (`path(_:base:)`).
public struct AgentBoardSettings: Sendable, Equatable {
    /// Python environment with the simulators (`scripts/setup-agentboard` creates it).
    public var venv: String
    /// Folder of the sidecar programs (`<family>_sidecar.py`).
    public var scripts: String
    /// Limit for one `reset` or `step` call; a sidecar that takes longer is killed (→ `timeout`).
    public var callTimeoutSeconds: Double
    /// Limit for a sidecar to start and load its simulator.
    public var startTimeoutSeconds: Double
    /// Episodes of one unit played at once (each with its own sidecar).
    public var episodesInFlight: Int

    public init(venv: String = ".venv-agentboard", scripts: String = "scripts/agentboard", callTimeoutSeconds: Double = 120,
                startTimeoutSeconds: Double = 180, episodesInFlight: Int = 2) {
        self.venv = venv; self.scripts = scripts; self.callTimeoutSeconds = callTimeoutSeconds
        self.startTimeoutSeconds = startTimeoutSeconds; self.episodesInFlight = episodesInFlight
    }
}

extension AgentBoardSettings {
    /// `path` (one of the settings' paths) made absolute against `base` (the config's folder).
    public static func path(_ path: String, base: String?) -> String {
        path.hasPrefix("/") ? path : (base ?? Files.absolute(".")) + "/" + path
    }
}

extension ClusterConfigLoader {
    static func agentboard(_ t: TableReader?, doc: ConfigDocument) throws -> AgentBoardSettings {
        var s = AgentBoardSettings()
        if let t {
            try t.checkKeys(["venv", "scripts", "call_timeout_s", "start_timeout_s", "episodes_in_flight"])
            if let v = try t.string("venv") { s.venv = doc.resolve(v) }
            if let v = try t.string("scripts") { s.scripts = doc.resolve(v) }
            if let v = try t.double("call_timeout_s", min: 0, exclusive: true) { s.callTimeoutSeconds = v }
            if let v = try t.double("start_timeout_s", min: 0, exclusive: true) { s.startTimeoutSeconds = v }
            if let v = try t.int("episodes_in_flight", 1...64) { s.episodesInFlight = v }
        }
        return s
    }
}
