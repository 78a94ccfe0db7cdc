import Foundation
import Protocol
@testable import Coordinator

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

    /// `bindHost`: the coordinator's address (loopback unless the test runs it in a network namespace).
    init(name: String, extraConfig: String = "", leaseSeconds: Double = 4, bindHost: String = "127.0.0.1",
         heartbeatMs: Int = 200, liveness: Int = 3) throws {
        dir = NSTemporaryDirectory() + "acbench-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = bindHost == "127.0.0.1" ? try Self.freePort() : 5555
        let config = """
            [coordinator]
            bind = "tcp://\(bindHost):\(port)"
            commit_interval_ms = 10
            [heartbeat]
            interval_ms = \(heartbeatMs)
            liveness = \(liveness)
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

    /// Starts the binary with `args`, output to `log`: inside network namespace `netns`, or with
    /// `chroot` set, `args[0]` (a program inside that root) in the chroot.
    @discardableResult
    func start(_ args: [String], log: String, withConfig: Bool = true, netns: String? = nil, chroot: String? = nil) throws -> Process {
        let p = Process()
        var full = (chroot == nil ? [Self.binary] : []) + args + (withConfig ? ["--config", dir + "/cluster.conf"] : [])
        if let netns { full = [NetLab.ip, "netns", "exec", netns] + full }
        if let chroot { full = ["/usr/sbin/chroot", chroot] + full }
        p.executableURL = URL(fileURLWithPath: full[0])
        p.arguments = Array(full.dropFirst())
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        FileManager.default.createFile(atPath: dir + "/" + log, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + log))
        h.seekToEndOfFile()
        p.standardOutput = h
        p.standardError = h
        try p.run()
        return p
    }

    func startCoordinator(extra: [String] = [], netns: String? = nil) throws {
        coordinator = try start(["coordinator", dir + "/sweep.toml", "--plain"] + extra, log: "coordinator.out", netns: netns)
    }

    func startWorker(_ name: String, extra: [String] = [], netns: String? = nil) throws {
        workers[name] = try start(["worker", "--name", name, "--gpus", "none"] + extra, log: "\(name).out", netns: netns)
    }

    /// Makes CURVE keys for the coordinator and `allowed` workers (plus `unlisted` ones, not put in
    /// the allow-list) with `acbench keys`, and adds the [curve] table to cluster.conf.
    func enableCurve(allowed: [String], unlisted: [String] = []) async throws {
        let keys = try start(["keys", "coordinator"] + allowed + unlisted + ["--dir", dir + "/keys"], log: "keys.out", withConfig: false)
        guard await Self.wait(keys, seconds: 20), keys.terminationStatus == 0 else { throw TestError("acbench keys failed: \(output("keys.out"))") }
        let read = { (n: String) in try String(contentsOfFile: self.dir + "/keys/\(n).key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        var curve = """
            [curve]
            server_public = "\(try read("coordinator"))"
            server_secret_file = "keys/coordinator.key_secret"
            worker_keys_dir = "keys"
            [curve.workers]

            """
        for w in allowed { curve += "\(w) = \"\(try read(w))\"\n" }
        try (String(contentsOfFile: dir + "/cluster.conf", encoding: .utf8) + "\n" + curve)
            .write(toFile: dir + "/cluster.conf", atomically: true, encoding: .utf8)
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

    /// Waits until `condition` holds; false on timeout.
    static func until(seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return try condition()
    }

    /// Waits until the state database holds `n` samples; false on timeout or when the coordinator exits.
    func waitForSamples(atLeast n: Int, seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: statePath),
               let store = try? StateStore(path: statePath, readOnly: true),
               let rows: [Int] = try? store.db.rows("SELECT COUNT(*) FROM samples", [], { (r: SQLRow) in r.int(0) }),
               let count = rows.first, count >= n { return true }
            if !(coordinator?.isRunning ?? false) { return false }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return false
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

/// A test failure with a message.
struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
