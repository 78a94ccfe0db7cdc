import Foundation
import Testing
import Protocol
import CZeroMQ

extension Processes {
/// Random and truncated frames sent to the coordinator's socket neither crash it nor stop the sweep.
@Suite("MalformedInput", .serialized)
struct MalformedInputTests {
    @Test func junkFramesAreDropped() async throws {
        let c = try TestCluster(name: "junk")
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 3, samples: 10, sampleMs: 0)
        try c.startCoordinator()
        try await Task.sleep(nanoseconds: 300_000 * 1000)
        let context = ZMQContext()
        let dealer = try ZMQSocket(context, .dealer)
        try dealer.set(ZMQ_SNDHWM, Int32(100_000))
        try dealer.connect("tcp://127.0.0.1:\(c.port)")
        var rng = SplitMix(seed: 7)
        let codec = WireCodec()
        let valid = try codec.encode(.ready(ReadyMessage(worker: "fuzz", incarnation: "x",
            capabilities: Capabilities(host: "h", gpus: [], device: "cpu", memoryGiB: 1, artifacts: [], kinds: [.eval]))))
        var sent = 0
        for i in 0..<3000 {
            var frames: [[UInt8]]
            switch i % 5 {
            case 0: frames = (0..<Int(rng.next() % 5)).map { _ in (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            case 1: frames = valid; let f = Int(rng.next() % 3); frames[f] = Array(frames[f].prefix(Int(rng.next() % UInt64(max(1, frames[f].count)))))
            case 2: frames = valid; let f = 2; let k = Int(rng.next() % UInt64(frames[f].count)); frames[f][k] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            case 3: frames = [Array("ACB9".utf8), [0x01], Array("{}".utf8)]
            default: frames = [Array(WireVersion.tag.utf8), [UInt8(truncatingIfNeeded: rng.next())], Array("{\"unit\":1}".utf8)]
            }
            if frames.isEmpty { frames = [[]] }
            if (try? dealer.send(frames)) == true { sent += 1 }
        }
        try await Task.sleep(nanoseconds: 500_000 * 1000)
        dealer.close(); context.terminate()
        #expect(sent > 2500)
        #expect(c.coordinator!.isRunning, "the coordinator died on junk input: \(c.output("coordinator.out"))")
        try c.startWorker("w0")
        #expect(await TestCluster.wait(c.coordinator!, seconds: 60), "sweep did not finish after the junk")
        #expect(c.coordinator!.terminationStatus == 0)
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty)
        #expect(check.samples == 2 * 3 * 10)
        #expect(c.output("coordinator.out").contains("dropped a malformed message"))
    }
}
}
