import Coordinator
import Protocol

/// The synthetic sweep and cluster settings a benchmark run uses, built in code.
struct BenchSweep {
    /// Eval units to plan (shards of one synthetic task).
    var units: Int
    /// Samples per unit.
    var samplesPerUnit: Int
    /// Results per SQLite transaction at most (`coordinator.commit_batch`).
    var commitBatch: Int = 512

    /// One model, the baseline method (no compress units), one synthetic task split into `units` shards.
    var spec: SweepSpec {
        SweepSpec(name: "bench-\(units)x\(samplesPerUnit)", sourcePath: "<bench>",
                  models: [ModelSpec(name: "bench-model", path: "bench/model", revision: "bench", paramsB: 0.1)],
                  methods: [MethodSpec(name: "none", algorithm: "none")],
                  tasks: [TaskSpec(name: "synthetic", suite: "synthetic", shards: units,
                                   params: ["samples": .int(samplesPerUnit)])],
                  generation: GenerationSettings())
    }

    /// The planned units (the Planner's real expansion of `spec`).
    func plan() -> [UnitSpec] { Planner(baseDirectory: "/nonexistent").plan(spec) }

    /// Short heartbeats (500 ms, liveness 6: a peer is presumed gone after 3 s of silence),
    /// an ephemeral loopback port, the given commit batch; everything else at its default.
    func config(stateDir: String) -> ClusterConfig {
        ClusterConfig(coordinator: CoordinatorSettings(bind: "tcp://127.0.0.1:*", commitBatch: commitBatch),
                      heartbeat: HeartbeatSettings(intervalMs: 500, liveness: 6, reconnectInitialMs: 100, reconnectMaxMs: 1000),
                      paths: PathSettings(state: stateDir + "/state.sqlite", artifacts: stateDir + "/artifacts",
                                          cache: stateDir + "/cache", journal: stateDir + "/journal", logs: stateDir + "/logs"))
    }
}
