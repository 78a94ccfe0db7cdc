import Foundation
import Testing
@testable import Protocol
@testable import Worker

/// `acbench worker` start-up checks: what blocks a start, what only warns, and what is fine.
@Suite("Preflight")
struct PreflightTests {
    func config(root: String, venv: String? = nil, curve: CurveSettings? = nil) -> ClusterConfig {
        var c = ClusterConfig(curve: curve)
        c.paths = PathSettings(state: root + "/state/a.sqlite", artifacts: root + "/artifacts", cache: root + "/cache",
                               journal: root + "/journal", logs: root + "/logs")
        c.serving.venv = venv
        c.serving.command = ["acbench-no-such-server", "serve", "{model}", "--port", "{port}"]
        c.baseDirectory = root
        return c
    }

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "acbench-preflight-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func finding(_ all: [Preflight.Finding], _ name: String) throws -> Preflight.Finding {
        try #require(all.first { $0.name == name }, "no finding \(name) in \(all.map(\.name))")
    }

    @Test("folders are created and probed; a missing vLLM only warns; a closed port only warns")
    func cpuSlotChecks() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let found = Preflight(config: config(root: root, venv: root + "/no-venv"), gpus: [], workerNames: ["w"],
                              endpoint: "tcp://127.0.0.1:1", kinds: [.compress, .eval]).run()
        #expect(try finding(found, "artifacts").ok && Files.exists(root + "/artifacts"))
        #expect(try finding(found, "journal").ok && finding(found, "logs").ok && finding(found, "gpus").ok)
        let serving = try finding(found, "serving")
        #expect(!serving.ok && !serving.blocksStart && serving.detail.contains("no-venv"))
        let coordinator = try finding(found, "coordinator")
        #expect(!coordinator.ok && !coordinator.blocksStart && coordinator.detail.contains("firewall"))
        #expect(Preflight.render(found).contains("WARNING serving"))
        // A compress-only worker does not need the server.
        let compressOnly = Preflight(config: config(root: root, venv: root + "/no-venv"), gpus: [], workerNames: ["w"],
                                     endpoint: "tcp://127.0.0.1:1", kinds: [.compress]).run()
        #expect(try finding(compressOnly, "serving").ok)
    }

    @Test("an unwritable folder, missing GPUs and a missing CURVE key block the start")
    func blockingChecks() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "not a folder".write(toFile: root + "/artifacts", atomically: true, encoding: .utf8)
        let curve = CurveSettings(serverPublic: String(repeating: "0", count: 40), workerKeysDir: root + "/keys")
        let found = Preflight(config: config(root: root, curve: curve), gpus: Hardware.gpus().isEmpty ? [0] : [999],
                              workerNames: ["w-0"], endpoint: "tcp://127.0.0.1:1", kinds: [.eval]).run()
        for name in ["artifacts", "gpus", "curve w-0"] {
            let f = try finding(found, name)
            #expect(!f.ok && f.blocksStart, "\(name): \(f.detail)")
        }
        #expect(try finding(found, "curve w-0").detail.contains("acbench keys w-0"))
        #expect(Preflight.render(found).contains("MISSING gpus"))
    }

    @Test("a listening coordinator port is reachable")
    func reachableCoordinator() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listen(fd, 4)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let found = Preflight(config: config(root: root), gpus: [], workerNames: ["w"], endpoint: "tcp://127.0.0.1:\(port)",
                              kinds: [.compress]).run()
        #expect(try finding(found, "coordinator").ok)
    }
}
