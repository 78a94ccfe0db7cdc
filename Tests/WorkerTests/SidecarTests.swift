import Foundation
import Protocol
import Testing
@testable import Worker

/// The sidecar transport against tiny Python programs: replies, a hang (killed at the per-call
/// limit), a crash, and a failed start — each a `SidecarError`, never a worker crash.
@Suite("Sidecar", .serialized)
struct SidecarTests {
    /// Writes a sidecar program that answers `ready`, then runs `onStep` (Python) for each step.
    static func program(_ onStep: String) throws -> String {
        let dir = NSTemporaryDirectory() + "acbench-sidecar-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            import json, os, sys, time
            print(json.dumps({"ok": True, "ready": "t"}), flush=True)
            for line in sys.stdin:
                req = json.loads(line)
                if req["op"] == "close":
                    print(json.dumps({"ok": True}), flush=True); break
                if req["op"] == "reset":
                    print(json.dumps({"ok": True, "observation": "start", "goal": "g"}), flush=True); continue
            \(onStep.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        try script.write(toFile: dir + "/t_sidecar.py", atomically: true, encoding: .utf8)
        return dir + "/t_sidecar.py"
    }

    static func start(_ script: String) async throws -> Sidecar {
        try await Sidecar.start(name: "t", python: "/usr/bin/python3", script: script,
                                logFile: (script as NSString).deletingLastPathComponent + "/t.log", startTimeout: 20)
    }

    @Test func repliesInOrder() async throws {
        let s = try await Self.start(try Self.program(#"print(json.dumps({"ok": True, "observation": "saw " + req["action"], "done": False}), flush=True)"#))
        let r = try await s.call(.reset(["seed": .int(1)]), timeout: 10)
        #expect(r.observation == "start" && r.goal == "g")
        for a in ["a", "b"] { #expect(try await s.call(.step(a), timeout: 10).observation == "saw \(a)") }
        await s.stop()
    }

    @Test func hangIsKilledAtTheLimit() async throws {
        let s = try await Self.start(try Self.program("time.sleep(60)"))
        let started = monotonicClock()
        await #expect(throws: SidecarError.self) { try await s.call(.step("x"), timeout: 1) }
        #expect(monotonicClock() - started < 10)
        do { _ = try await s.call(.step("x"), timeout: 1) } catch let e as SidecarError {
            guard case .crashed = e else { Issue.record("after a kill: \(e)"); return }
        }
        #expect(SidecarCommand.failure(.timedOut(op: "step", seconds: 1), episode: nil).failure == .timeout)
    }

    @Test func crashIsReportedWithTheLogTail() async throws {
        let s = try await Self.start(try Self.program(#"sys.stderr.write("boom in the simulator\n"); sys.stderr.flush(); os._exit(7)"#))
        do {
            _ = try await s.call(.step("x"), timeout: 10)
            Issue.record("no error")
        } catch let e as SidecarError {
            guard case .crashed(let m) = e else { Issue.record("\(e)"); return }
            #expect(m.contains("exit status 7") && m.contains("boom in the simulator"), "\(m)")
            #expect(SidecarCommand.failure(e, episode: nil).failure == .scorerError)
        }
    }

    @Test func failedStartIsAnEnvironmentError() async throws {
        let dir = NSTemporaryDirectory() + "acbench-sidecar-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"print('{"ok": false, "error": "no module named minigrid"}', flush=True)"#.write(toFile: dir + "/t_sidecar.py", atomically: true, encoding: .utf8)
        await #expect(throws: SidecarError.self) { try await Self.start(dir + "/t_sidecar.py") }
    }
}
