import FoundationEssentials
import Protocol
import Subprocess
import SystemPackage
import Testing
@testable import Worker
#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers for the ServerManager tests: paths, the fake server, scratch folders.
enum ServerTestSupport {
    static let repoRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/WorkerTests/<file>
        return parts.joined(separator: "/")
    }()
    static let fakeServer = repoRoot + "/scripts/testing/fake_server.py"
    static let deathDriver = repoRoot + "/scripts/testing/worker_death_driver.py"
    static let vllmVenv = repoRoot + "/.venv-vllm"
    static let tinyModel = repoRoot + "/models/tiny-random-llama"
    static let brokenModel = repoRoot + "/models/tiny-random-llama-hd16"
    static var realVLLMAvailable: Bool {
        FileManager.default.fileExists(atPath: vllmVenv + "/bin/vllm")
            && FileManager.default.fileExists(atPath: tinyModel + "/model.safetensors")
    }

    /// A fresh scratch folder holding a minimal fake model folder at `model`.
    static func scratch(_ name: String) throws -> (root: String, model: String) {
        let root = "/tmp/acbench-servertest-\(getpid())-\(name)-\(UInt32.random(in: 0 ... .max))"
        let model = root + "/model"
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: model + "/config.json"))
        return (root, model)
    }

    /// Settings running the fake server, with a port block no other test uses.
    static func fakeSettings(portBase: Int, env: [String: String] = [:]) -> ServingSettings {
        ServingSettings(command: ["python3", fakeServer, "{model}", "--port", "{port}", "--served-model-name", "{served_name}",
                                  "--dtype", "{dtype}"],
                        env: env, portBase: portBase, portStride: 10, startupTimeoutSeconds: 90)
    }

    static func manager(_ settings: ServingSettings, root: String, slot: Int = 0, grace: Double = 2,
                        timeout: Double? = nil) -> ServerManager {
        ServerManager(settings: settings, options: .init(slot: slot, gpus: [], stateDirectory: root + "/state",
                                                         stopGraceSeconds: grace, startupTimeoutSeconds: timeout,
                                                         pollInterval: .milliseconds(200)))
    }

    /// The deep check the tests use: a one-token completion must answer 200.
    static let completionCheck: ServerManager.DeepCheck = { server in
        let body = #"{"model":"\#(server.spec.servedName)","prompt":"hello","max_tokens":1,"temperature":0}"#
        guard let response = await LoopbackHTTP.requestOffPool(port: server.port, method: "POST", path: "/v1/completions",
                                                                json: body, timeoutSeconds: 60) else {
            throw DeepCheckError(status: 0, body: "no answer")
        }
        guard response.status == 200 else { throw DeepCheckError(status: response.status, body: response.body) }
    }

    struct DeepCheckError: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "completion answered \(status): \(body)" }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = ProcessTable.stat(pid) else { return false }
        return stat.state != "Z"
    }

    /// Pids the fake server recorded in FAKE_PIDS_FILE.
    static func recordedPids(_ path: String) -> [Int32] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
    }

    /// Polls `condition` every 100 ms for up to `seconds`.
    static func eventually(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    /// Listens on 127.0.0.1:`port` until the returned descriptor is closed.
    static func occupy(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 1)
        return fd
    }
}
