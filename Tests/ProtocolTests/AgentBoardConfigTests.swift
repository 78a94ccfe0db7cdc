import Foundation
import Protocol
import Testing

/// `[agentboard]` in cluster.conf: paths given are made absolute, defaults stay relative, unknown keys and bad values are errors.
@Suite("AgentBoardConfig")
struct AgentBoardConfigTests {
    func load(_ text: String) throws -> ClusterConfig {
        let dir = NSTemporaryDirectory() + "acbench-abconf-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/cluster.conf", atomically: true, encoding: .utf8)
        return try ClusterConfigLoader.load(path: dir + "/cluster.conf")
    }

    @Test func valuesAndDefaults() throws {
        let c = try load("[agentboard]\nvenv = \"envs/ab\"\ncall_timeout_s = 30\nepisodes_in_flight = 4\n")
        let base = try #require(c.baseDirectory)
        #expect(c.agentboard.venv == base + "/envs/ab" && c.agentboard.callTimeoutSeconds == 30 && c.agentboard.episodesInFlight == 4)
        #expect(c.agentboard.scripts == "scripts/agentboard")
        #expect(AgentBoardSettings.path(c.agentboard.scripts, base: base) == base + "/scripts/agentboard")
        #expect(try load("").agentboard == AgentBoardSettings())
    }

    @Test func badInputIsAnError() {
        #expect(throws: ConfigError.self) { try load("[agentboard]\nvenvs = \"x\"\n") }
        #expect(throws: ConfigError.self) { try load("[agentboard]\ncall_timeout_s = 0\n") }
        #expect(throws: ConfigError.self) { try load("[agentboard]\nepisodes_in_flight = \"two\"\n") }
    }
}
