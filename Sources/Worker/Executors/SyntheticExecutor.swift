import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// The plumbing self-test: suite `synthetic` (eval) and algorithm `synthetic` (compress).
/// It runs no model; it produces deterministic results from the unit's identity, so the runner
/// (dispatch, leases, journal, resume, chaos) can be tested and benchmarked on any machine.
///
/// Task params: `samples` (default 20), `sample_ms` (sleep per sample, default 0),
/// `block_ms` (a blocking sleep per sample, like a long BLAS call that holds its thread),
/// `fail_class` + `fail_attempts` (fail the first N attempts with that class).
/// Method params: `work_ms` (default 0).
public struct SyntheticExecutor: UnitExecutor {
    public init() {}

    public func accepts(_ unit: UnitSpec) -> Bool {
        switch unit.kind {
        case .eval: return unit.task?.suite == "synthetic"
        case .compress: return unit.method.algorithm == "synthetic"
        case .analysis: return false
        }
    }

    public func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let unit = context.unit
        switch unit.kind {
        case .compress: return try await compress(context, sink: sink)
        case .eval: break
        case .analysis: throw UnitFailure(.internalError, "the synthetic executor runs no analysis units")
        }
        let params = unit.task?.params ?? [:]
        if let cls = params["fail_class"]?.stringValue.flatMap(FailureClass.init(rawValue:)),
           context.assignment.attempt <= (params["fail_attempts"]?.intValue ?? 1) {
            throw UnitFailure(cls, "synthetic failure on attempt \(context.assignment.attempt)")
        }
        let all = params["samples"]?.intValue ?? 20
        let range = 0..<all
        let sleepMs = params["sample_ms"]?.intValue ?? 0
        let blockMs = params["block_ms"]?.intValue ?? 0
        var sum = 0.0
        for i in range {
            let score = Self.score(unit: unit.id, index: i)
            sum += score
            if context.completed.contains(i) { continue }
            try Task.checkCancellation()
            if sleepMs > 0 { try await Task.sleep(nanoseconds: UInt64(sleepMs) * 1_000_000) }
            if blockMs > 0 { usleep(UInt32(blockMs) * 1000) }
            try await sink.emit(SampleResult(sampleId: "synthetic-\(unit.shard)-\(i)", index: i,
                                             scores: ["score": score], output: "answer \(i)",
                                             meta: ["shard": String(unit.shard)], latencyMs: Double(sleepMs)))
            sink.progress(done: i + 1, total: all, note: "")
        }
        return UnitOutcome(sampleCount: all, summary: ["score": all > 0 ? sum / Double(all) : 0])
    }

    func compress(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let ms = context.unit.method.params["work_ms"]?.intValue ?? 0
        if ms > 0 { try await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000) }
        let dir = context.worker.artifactsDir + "/" + context.unit.id
        let manifest = "{\"unit\":\"\(context.unit.id)\",\"model\":\"\(context.unit.model.name)\",\"method\":\"\(context.unit.method.name)\"}\n"
        do {
            try Files.makeDirectories(dir)
            try Files.writeAtomic(dir + "/manifest.json", Array(manifest.utf8))
        } catch { throw UnitFailure(.internalError, "cannot write artifact: \(error)") }
        sink.progress(done: 1, total: 1, note: "synthetic artifact written")
        return UnitOutcome(sampleCount: 0, summary: [:],
                           artifact: ArtifactInfo(path: dir, digest: Digest.sha256Hex(manifest), bytes: Int64(manifest.utf8.count),
                                                  host: context.worker.host))
    }

    /// A deterministic score in [0, 1) for (unit, index).
    public static func score(unit: String, index: Int) -> Double {
        let h = Digest.sha256Hex("\(unit)#\(index)")
        return Double(Int(h.prefix(4), radix: 16) ?? 0) / 65536
    }
}
