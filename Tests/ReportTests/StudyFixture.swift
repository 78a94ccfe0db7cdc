import Foundation
@testable import Coordinator
@testable import Kernels
@testable import Protocol
@testable import Report

/// A state database (real `StateStore` in a temporary folder) whose sweep holds every cell state:
/// done, running, failed (with class), not run and stale, plus a failed compress unit and analysis rows.
final class StudyFixture: @unchecked Sendable {
    let folder: String
    let store: StateStore

    static let model = ModelSpec(name: "tiny", path: "models/tiny", revision: "r1", paramsB: 0.1)
    static let none = MethodSpec(name: "none", algorithm: "none")
    static let rtn = MethodSpec(name: "rtn-w4", algorithm: "rtn", params: ["bits": .int(4)])
    static let gptq = MethodSpec(name: "gptq-w4", algorithm: "gptq", params: ["bits": .int(4)])
    static let tasks = [
        TaskSpec(name: "alfworld", suite: "agentboard", subset: "alfworld"),
        TaskSpec(name: "needle", suite: "needle"),
        TaskSpec(name: "teval", suite: "teval"),
        TaskSpec(name: "worfbench", suite: "worfbench"),
    ]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("acbench-report-\(UUID().uuidString)").path
        store = try StateStore(path: folder + "/state/acbench.sqlite")
        try populate()
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static func compress(_ method: MethodSpec) -> UnitSpec {
        UnitSpec(id: "c-\(method.name)", slot: "tiny/\(method.name)", kind: .compress, model: model, method: method, task: nil,
                 shard: 0, shardCount: 1, generation: nil, dependsOn: [], identityJSON: "{}", estimatedCost: 1, memoryGiB: 0)
    }

    static func eval(_ method: MethodSpec, _ task: TaskSpec, id: String? = nil) -> UnitSpec {
        UnitSpec(id: id ?? "e-\(method.name)-\(task.name)", slot: "tiny/\(method.name)/\(task.name)", kind: .eval, model: model,
                 method: method, task: task, shard: 0, shardCount: 1, generation: GenerationSettings(),
                 dependsOn: method.algorithm == "none" ? [] : ["c-\(method.name)"], identityJSON: "{}", estimatedCost: 1,
                 memoryGiB: 0)
    }

    func set(_ id: String, _ state: UnitState, failure: FailureClass? = nil, message: String? = nil, total: Int? = nil) throws {
        guard var r = try store.records(ids: [id])[id] else { throw SQLiteError(path: folder, message: "no unit \(id)") }
        r.state = state; r.failureClass = failure; r.failureMessage = message; r.sampleTotal = total
        r.finishedAt = state == .done ? 1000 : nil
        try store.save(r)
    }

    func samples(_ id: String, _ scores: [[String: Double]], meta: [[String: String]] = []) throws {
        for (i, s) in scores.enumerated() {
            try store.insertSample(unit: id, epoch: 1, seq: i + 1, worker: "w0",
                                   sample: SampleResult(sampleId: "\(id)-\(i)", index: i, scores: s, meta: i < meta.count ? meta[i] : [:]))
        }
    }

    /// Needle samples on a 2 × 2 grid (lengths 1000, 2000; depths 0, 50) with the given set-recalls.
    func needle(_ id: String, _ recalls: [Double]) throws {
        let cells = [("1000", "0"), ("1000", "50"), ("2000", "0"), ("2000", "50")]
        try samples(id, recalls.map { ["set_recall": $0] },
                    meta: cells.prefix(recalls.count).map { ["context_length": $0.0, "depth_percent": $0.1] })
    }

    func populate() throws {
        let T = Self.tasks, none = Self.none, rtn = Self.rtn, gptq = Self.gptq
        // A previous plan of tiny/rtn-w4/alfworld with another identity, finished: the current unit shows it as stale.
        let old = Self.eval(rtn, T[0], id: "e-rtn-alfworld-old")
        try store.registerPlan(sweep: "old", units: [Self.compress(rtn), old])
        try set(old.id, .done, total: 2)
        try samples(old.id, [["progress_rate": 0.5, "success": 1], ["progress_rate": 0.25, "success": 0]])

        var units: [UnitSpec] = [Self.compress(rtn), Self.compress(gptq)]
        for m in [none, rtn, gptq] { for t in T { units.append(Self.eval(m, t)) } }
        try store.registerPlan(sweep: "study", units: units)
        try store.setCurrentSweep("study")
        try set("c-rtn-w4", .done)
        try store.saveArtifact(unit: "c-rtn-w4", ArtifactInfo(path: "/artifacts/rtn", digest: "sha256:feed", bytes: 10, host: "h"))
        try set("c-gptq-w4", .failed, failure: .outOfMemory, message: "CUDA out of memory")

        // none: worfbench, teval, needle done; alfworld not run.
        try set("e-none-worfbench", .done, total: 2)
        try samples("e-none-worfbench", [["f1": 0.75], ["f1": 0.25]])
        try set("e-none-teval", .done, total: 2)
        try samples("e-none-teval", [["score": 0.9], ["score": 0.7]])
        try set("e-none-needle", .done, total: 4)
        try needle("e-none-needle", [1, 1, 1, 0])
        // rtn: worfbench done, teval failed, needle running, alfworld stale.
        try set("e-rtn-w4-worfbench", .done, total: 2)
        try samples("e-rtn-w4-worfbench", [["f1": 0.5], ["f1": 0.25]])
        try set("e-rtn-w4-teval", .failed, failure: .scorerError, message: "unparseable answer")
        try set("e-rtn-w4-needle", .running, total: 4)
        try needle("e-rtn-w4-needle", [1])
        // gptq: its compress unit failed, so every eval cell is failed (out_of_memory).
    }

    /// Analysis rows computed by Kernels' metrics on deterministic logits: `none` vs `rtn-w4` (noise added).
    func analysis() throws {
        let positions = 8, vocab = 64
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 33) % 2000) / 200 - 5
        }
        let base = (0..<positions * vocab).map { _ in next() }
        let comp = base.map { $0 + next() / 10 }
        var rows: [AnalysisRow] = []
        for (method, logits) in [("none", base), ("rtn-w4", comp)] {
            rows.append(AnalysisRow(model: "tiny", method: method, metric: "erank",
                                    value: ERank.compute(logits, rows: positions, cols: vocab)))
            for (p, e) in Energy.perPosition(logits, positions: positions, vocab: vocab).enumerated() {
                rows.append(AnalysisRow(model: "tiny", method: method, metric: "energy", position: p, value: e))
            }
        }
        for k in TopKCorrelation.ks {
            let c = TopKCorrelation.perPosition(base: base, compressed: comp, sequences: 1, positions: positions, vocab: vocab, k: k)
            for p in 0..<positions {
                rows.append(AnalysisRow(model: "tiny", method: "rtn-w4", metric: "kendall", k: k, position: p, value: c.kendall[p]))
                rows.append(AnalysisRow(model: "tiny", method: "rtn-w4", metric: "spearman", k: k, position: p, value: c.spearman[p]))
            }
        }
        try store.saveAnalysis(rows)
    }
}
