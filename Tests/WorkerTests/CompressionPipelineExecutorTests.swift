import FoundationEssentials
import Protocol
import Synchronization
import Testing
@testable import Worker
#if canImport(Glibc)
import Glibc
#endif

/// The compress executor's artifact cache: a folder with a complete `manifest.json` is reused, an
/// incomplete one (no manifest, or a listed file of the wrong size) is compressed again.
@Suite("CompressionPipeline: executor artifact reuse")
struct CompressionPipelineExecutorTests {
    static let fixtureModel = ServerTestSupport.repoRoot + "/../shared/fixtures/kernels/forward/llama"

    /// Records progress notes; emits nothing (compress units have no samples).
    final class NoteSink: UnitSink {
        let notes = Mutex<[String]>([])
        func emit(_ sample: SampleResult) async throws {}
        func progress(done: Int, total: Int, note: String) { notes.withLock { $0.append(note) } }
    }

    static func context(artifacts: String) -> UnitContext {
        let unit = UnitSpec(id: "c0mpress", slot: "llama/rtn-w4g32", kind: .compress,
                            model: ModelSpec(name: "llama", path: fixtureModel, paramsB: 0.0001),
                            method: MethodSpec(name: "rtn-w4g32", algorithm: "rtn", params: ["group_size": .int(32)]),
                            task: nil, shard: 0, shardCount: 1, generation: nil, dependsOn: [],
                            identityJSON: "{}", estimatedCost: 1, memoryGiB: 0)
        let worker = WorkerIdentity(name: "w", slot: 0, host: "h", gpus: [], artifactsDir: artifacts,
                                    logsDir: artifacts + "/logs", stateDir: artifacts + "/state")
        return UnitContext(assignment: AssignMessage(unit: unit, epoch: 1, attempt: 1, leaseSeconds: 600, completed: [], artifact: nil),
                           worker: worker, config: ClusterConfig())
    }

    @Test("complete manifest reused; missing manifest or a wrong-sized file redone")
    func reuse() async throws {
        let root = "/tmp/acbench-compress-exec-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ctx = Self.context(artifacts: root)
        let dir = root + "/" + ctx.unit.id
        let executor = CompressExecutor()
        #expect(executor.accepts(ctx.unit))

        let first = try await executor.run(ctx, sink: NoteSink())
        #expect(first.summary["seconds"] != nil && first.summary["reused"] == nil)
        let info = try #require(first.artifact)
        #expect(info.path == dir && info.host == "h" && info.bytes > 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/manifest.json"))

        let sink = NoteSink()
        let second = try await executor.run(ctx, sink: sink)
        #expect(second.summary["reused"] == 1)
        #expect(second.artifact == info)
        #expect(sink.notes.withLock { $0 } == ["reused artifact \(dir)"])

        // A truncated weight file: the manifest no longer matches, so the unit compresses again.
        let weights = dir + "/model.safetensors"
        #expect(truncate(weights, 100) == 0)
        let third = try await executor.run(ctx, sink: NoteSink())
        #expect(third.summary["reused"] == nil)
        #expect(third.artifact?.digest == info.digest)  // deterministic: the same bytes again
        #expect(CompressJob.existingArtifact(dir, host: "h") == info)

        // No manifest (a crash before it was written): redone.
        unlink(dir + "/manifest.json")
        let fourth = try await executor.run(ctx, sink: NoteSink())
        #expect(fourth.summary["reused"] == nil)
        #expect(fourth.artifact?.digest == info.digest)
    }

}
