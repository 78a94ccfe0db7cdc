import Foundation
import Protocol

/// A throw-away cluster on loopback for end-to-end tests: a temp folder with cluster.conf and a
/// sweep, the real `acbench` binary started as coordinator and worker processes.
final class TestCluster: @unchecked Sendable {
    let dir: String
    let port: Int
    var coordinator: Process?
    var workers: [String: Process] = [:]

    /// The `acbench` binary: `$ACBENCH_BIN`, else `.build/debug/acbench` beside this package.
    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["ACBENCH_BIN"] { return b }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        return root + "/.build/debug/acbench"
    }

    init(name: String, extraConfig: String = "", leaseSeconds: Double = 4) throws {
        dir = NSTemporaryDirectory() + "acbench-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = try Self.freePort()
        let config = """
            [coordinator]
            bind = "tcp://127.0.0.1:\(port)"
            commit_interval_ms = 10
            [heartbeat]
            interval_ms = 200
            liveness = 3
            reconnect_initial_ms = 100
            reconnect_max_ms = 800
            [lease]
            eval_ttl_s = \(leaseSeconds)
            compress_ttl_s = \(leaseSeconds)
            [retry]
            backoff_initial_s = 0.1
            backoff_max_s = 0.5
            [retry.budgets]
            lost_worker = 50
            \(extraConfig)
            """
        try config.write(toFile: dir + "/cluster.conf", atomically: true, encoding: .utf8)
    }

    /// Writes a synthetic sweep: `models` × (none + synthetic compression) × one task of `shards` shards.
    func writeSweep(models: Int, shards: Int, samples: Int, sampleMs: Int, extraTask: String = "") throws {
        var s = "[sweep]\nname = \"e2e\"\n"
        for m in 0..<models { s += "[[models]]\nname = \"m\(m)\"\npath = \"models/m\(m)\"\nparams_b = \(m + 1)\n" }
        s += "[[methods]]\nname = \"none\"\nalgorithm = \"none\"\n"
        s += "[[methods]]\nname = \"syn4\"\nalgorithm = \"synthetic\"\n[methods.params]\nwork_ms = 20\n"
        s += "[[tasks]]\nname = \"t\"\nsuite = \"synthetic\"\nshards = \(shards)\n[tasks.params]\nsamples = \(samples)\nsample_ms = \(sampleMs)\n"
        s += extraTask
        try s.write(toFile: dir + "/sweep.toml", atomically: true, encoding: .utf8)
    }

    /// Writes `text` as the sweep file.
    func writeSweep(_ text: String) throws {
        try text.write(toFile: dir + "/sweep.toml", atomically: true, encoding: .utf8)
    }

    /// The package root (for the serving environment and the models that scripts/setup prepares).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    @discardableResult
    func start(_ args: [String], log: String, withConfig: Bool = true) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args + (withConfig ? ["--config", dir + "/cluster.conf"] : [])
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        FileManager.default.createFile(atPath: dir + "/" + log, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + log))
        h.seekToEndOfFile()
        p.standardOutput = h
        p.standardError = h
        try p.run()
        return p
    }

    func startCoordinator() throws {
        coordinator = try start(["coordinator", dir + "/sweep.toml", "--plain"], log: "coordinator.out")
    }

    func startWorker(_ name: String, extra: [String] = []) throws {
        workers[name] = try start(["worker", "--name", name, "--gpus", "none"] + extra, log: "\(name).out")
    }

    static func kill(_ p: Process?) {
        guard let p, p.isRunning else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Waits for `p` to exit; false on timeout.
    /// (Async, so that waiting never holds one of the few threads of Swift's cooperative pool.)
    static func wait(_ p: Process, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        return !p.isRunning
    }

    func output(_ log: String) -> String { (try? String(contentsOfFile: dir + "/" + log, encoding: .utf8)) ?? "" }

    var statePath: String { dir + "/state/acbench.sqlite" }

    func tearDown() {
        Self.kill(coordinator)
        workers.values.forEach { Self.kill($0) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
