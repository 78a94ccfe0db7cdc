import Foundation
import Testing
@testable import Coordinator
@testable import Protocol

/// A temporary folder made for one test, removed when the value goes away.
final class TempDir: @unchecked Sendable {
    let path: String

    init(_ label: String = "coord") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("acbench-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` (relative) and returns the absolute path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path + "/" + name
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
}

enum Fixture {
    static let model = ModelSpec(name: "tiny", path: "models/tiny", revision: "rev-1", paramsB: 0.135)
    static let none = MethodSpec(name: "none", algorithm: "none")
    static let rtn = MethodSpec(name: "rtn-w4", algorithm: "rtn", params: ["bits": .int(4), "group_size": .int(128)])
    static func synthetic(_ name: String = "syn", samples: Int = 3, shards: Int = 1) -> TaskSpec {
        TaskSpec(name: name, suite: "synthetic", shards: shards, params: ["samples": .int(samples)])
    }

    static func sweep(name: String = "test", models: [ModelSpec] = [model], methods: [MethodSpec] = [none],
                      tasks: [TaskSpec] = [synthetic()], generation: GenerationSettings = GenerationSettings()) -> SweepSpec {
        SweepSpec(name: name, sourcePath: "sweeps/\(name).toml", models: models, methods: methods, tasks: tasks,
                  generation: generation)
    }

    static func capabilities(host: String = "host-a", memoryGiB: Double = 80, gpus: [Int] = [0],
                             artifacts: [String] = [], kinds: [UnitKind] = [.compress, .eval]) -> Capabilities {
        Capabilities(host: host, gpus: gpus, device: gpus.isEmpty ? "cpu" : "test-gpu", memoryGiB: memoryGiB,
                     artifacts: artifacts, kinds: kinds)
    }

    static func sample(_ index: Int, score: Double = 1) -> SampleResult {
        SampleResult(sampleId: "s\(index)", index: index, scores: ["score": score], output: "out \(index)")
    }
}

/// A store in a fresh temporary folder.
struct StoreFixture {
    let dir: TempDir
    let path: String
    let store: StateStore

    init() throws {
        dir = try TempDir("store")
        path = dir.path + "/state/acbench.sqlite"
        store = try StateStore(path: path)
    }
}
