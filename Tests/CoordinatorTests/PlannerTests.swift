import Foundation
import Testing
@testable import Coordinator
@testable import Protocol

/// Ids by slot.
private func ids(_ units: [UnitSpec]) -> [String: String] {
    Dictionary(uniqueKeysWithValues: units.map { ($0.slot, $0.id) })
}

/// Slots whose id differs between two plans of the same slots.
private func changedSlots(_ a: [UnitSpec], _ b: [UnitSpec]) -> Set<String> {
    let x = ids(a), y = ids(b)
    #expect(Set(x.keys) == Set(y.keys), "the slots themselves changed")
    return Set(x.keys.filter { x[$0] != y[$0] })
}

@Suite("Planner")
struct PlannerTests {
    let methods = [Fixture.none, Fixture.rtn, MethodSpec(name: "rtn-w8", algorithm: "rtn", params: ["bits": .int(8)])]
    let tasks = [Fixture.synthetic("t1"), Fixture.synthetic("t2", samples: 5)]

    @Test("the DAG: compress units only for real methods, eval units depend on them")
    func dag() throws {
        let dir = try TempDir("plan")
        let units = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: methods, tasks: tasks))
        let compress = units.filter { $0.kind == .compress }
        let eval = units.filter { $0.kind == .eval }
        #expect(compress.count == 2)
        #expect(eval.count == 6)
        #expect(Set(units.map(\.id)).count == units.count, "ids are unique")
        #expect(Set(units.map(\.slot)).count == units.count, "slots are unique")
        #expect(Set(compress.map(\.slot)) == ["tiny/rtn-w4", "tiny/rtn-w8"])
        #expect(!compress.contains { $0.method.algorithm == "none" })
        for c in compress {
            #expect(c.dependsOn.isEmpty && c.task == nil && c.memoryGiB == 0)
            let deps = eval.filter { $0.dependsOn == [c.id] }
            #expect(Set(deps.map(\.slot)) == ["\(c.slot)/t1", "\(c.slot)/t2"])
            #expect(deps.allSatisfy { $0.artifactKey == c.id && $0.method == c.method })
        }
        let baseline = eval.filter { $0.method.algorithm == "none" }
        #expect(baseline.count == 2)
        #expect(baseline.allSatisfy { $0.dependsOn.isEmpty && $0.artifactKey == "base:tiny" })
        #expect(eval.allSatisfy { $0.generation != nil && $0.memoryGiB > 0 && $0.estimatedCost > 0 })
    }

    @Test("same sweep, same ids, whatever the order of dictionary parameters")
    func deterministic() throws {
        let dir = try TempDir("plan")
        let keys = (0..<40).map { "k\($0)" }
        var forward: [String: ParamValue] = [:]
        for (i, k) in keys.enumerated() { forward[k] = .int(i) }
        var backward = [String: ParamValue](minimumCapacity: 200)
        for (i, k) in keys.enumerated().reversed() { backward[k] = .int(i) }
        let m1 = MethodSpec(name: "rtn", algorithm: "rtn", params: forward)
        let m2 = MethodSpec(name: "rtn", algorithm: "rtn", params: backward)
        var t1 = Fixture.synthetic(); t1.params.merge(forward) { a, _ in a }
        var t2 = Fixture.synthetic(); t2.params = [:]; for (k, v) in backward { t2.params[k] = v }; t2.params["samples"] = .int(3)
        let a = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [m1], tasks: [t1]))
        let b = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [m2], tasks: [t2]))
        let c = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [m1], tasks: [t1]))
        #expect(a.map(\.id) == b.map(\.id))
        #expect(a.map(\.id) == c.map(\.id))
        #expect(a.map(\.identityJSON) == b.map(\.identityJSON))
        #expect(a.allSatisfy { $0.id.count == 32 && $0.id.allSatisfy(\.isHexDigit) })
    }

    @Test("the canonical identity of a compress unit (versioned scheme, sorted keys)")
    func canonicalIdentity() throws {
        let dir = try TempDir("plan")
        let c = try #require(Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [Fixture.rtn])).first { $0.kind == .compress })
        // Changing this JSON changes every stored unit's identity: bump `Planner.identityScheme` when it must change.
        #expect(c.identityJSON == #"{"algorithm":"rtn","kind":"compress","model":{"path":"models/tiny","revision":"rev-1"},"params":{"bits":4,"group_size":128},"scheme":"acbench-identity/1"}"#)
        #expect(c.id == String(Digest.sha256Hex(c.identityJSON).prefix(32)))
    }

    @Test("a changed method parameter changes exactly that method's units")
    func changedParameter() throws {
        let dir = try TempDir("plan")
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(Fixture.sweep(methods: methods, tasks: tasks))
        var changed = methods
        changed[1].params["bits"] = .int(3)
        let after = p.plan(Fixture.sweep(methods: changed, tasks: tasks))
        #expect(changedSlots(before, after) == ["tiny/rtn-w4", "tiny/rtn-w4/t1", "tiny/rtn-w4/t2"])
        // An added parameter is a change too.
        changed = methods
        changed[2].params["damp"] = .double(0.01)
        #expect(changedSlots(before, p.plan(Fixture.sweep(methods: changed, tasks: tasks))) ==
                ["tiny/rtn-w8", "tiny/rtn-w8/t1", "tiny/rtn-w8/t2"])
    }

    @Test("a method's serving dtype changes its eval units, not its compress unit")
    func methodDtype() throws {
        let dir = try TempDir("plan")
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(Fixture.sweep(methods: methods, tasks: tasks))
        var changed = methods
        changed[1].dtype = "float16"
        let after = p.plan(Fixture.sweep(methods: changed, tasks: tasks))
        #expect(changedSlots(before, after) == ["tiny/rtn-w4/t1", "tiny/rtn-w4/t2"])
        #expect(after.filter { $0.slot.hasPrefix("tiny/rtn-w4/") }.allSatisfy { $0.generation?.dtype == "float16" })
        #expect(after.filter { $0.slot.hasPrefix("tiny/none/") }.allSatisfy { $0.generation?.dtype != "float16" })
    }

    @Test("a changed task parameter or limit changes only that task's eval units")
    func changedTask() throws {
        let dir = try TempDir("plan")
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(Fixture.sweep(methods: methods, tasks: tasks))
        var t = tasks
        t[1].params["samples"] = .int(6)
        #expect(changedSlots(before, p.plan(Fixture.sweep(methods: methods, tasks: t))) ==
                ["tiny/none/t2", "tiny/rtn-w4/t2", "tiny/rtn-w8/t2"])
        t = tasks
        t[0].limit = 2
        #expect(changedSlots(before, p.plan(Fixture.sweep(methods: methods, tasks: t))) ==
                ["tiny/none/t1", "tiny/rtn-w4/t1", "tiny/rtn-w8/t1"])
    }

    @Test("generation settings change eval units only, per task when a task overrides them")
    func changedGeneration() throws {
        let dir = try TempDir("plan")
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(Fixture.sweep(methods: methods, tasks: tasks))
        let evalSlots = Set(before.filter { $0.kind == .eval }.map(\.slot))
        for edit: (inout GenerationSettings) -> Void in [{ $0.temperature = 0.7 }, { $0.seed = 1 }, { $0.dtype = "bfloat16" },
                                                         { $0.enforceEager = true }, { $0.maxModelLen = 4096 }, { $0.maxTokens = 64 },
                                                         { $0.topP = 0.9 }] {
            var g = GenerationSettings()
            edit(&g)
            #expect(changedSlots(before, p.plan(Fixture.sweep(methods: methods, tasks: tasks, generation: g))) == evalSlots)
        }
        var t = tasks
        var g = GenerationSettings()
        g.maxTokens = 64
        t[0].generation = g
        #expect(changedSlots(before, p.plan(Fixture.sweep(methods: methods, tasks: t))) ==
                ["tiny/none/t1", "tiny/rtn-w4/t1", "tiny/rtn-w8/t1"])
        // A task override equal to the sweep's settings is no change.
        t[0].generation = GenerationSettings()
        #expect(changedSlots(before, p.plan(Fixture.sweep(methods: methods, tasks: t))).isEmpty)
    }

    @Test("data file content enters eval identities; calibration content enters compress identities")
    func fileContents() throws {
        let dir = try TempDir("plan")
        try dir.write("data/a.jsonl", "{\"id\":1}\n")
        try dir.write("data/b.jsonl", "{\"id\":2}\n")
        try dir.write("calib/c4.txt", "some calibration text\n")
        var ta = Fixture.synthetic("ta"); ta.data = "data/a.jsonl"
        var tb = Fixture.synthetic("tb"); tb.data = "data/b.jsonl"
        let gptq = MethodSpec(name: "gptq", algorithm: "gptq", params: ["bits": .int(4)], calibration: "calib/c4.txt")
        let sweep = Fixture.sweep(methods: [Fixture.none, gptq], tasks: [ta, tb])
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(sweep)
        #expect(before.first { $0.slot == "tiny/none/ta" }?.identityJSON.contains(Digest.sha256Hex("{\"id\":1}\n")) == true)

        try dir.write("data/a.jsonl", "{\"id\":1}\n{\"id\":3}\n")
        let afterData = p.plan(sweep)
        #expect(changedSlots(before, afterData) == ["tiny/none/ta", "tiny/gptq/ta"])

        try dir.write("calib/c4.txt", "other calibration text\n")
        #expect(changedSlots(afterData, p.plan(sweep)) == ["tiny/gptq", "tiny/gptq/ta", "tiny/gptq/tb"])

        // A missing file is not an error at plan time, but creating it later is a change.
        var tc = Fixture.synthetic("tc"); tc.data = "data/c.jsonl"
        let s2 = Fixture.sweep(methods: [Fixture.none], tasks: [tc])
        let missing = p.plan(s2)
        try dir.write("data/c.jsonl", "x\n")
        #expect(changedSlots(missing, p.plan(s2)) == ["tiny/none/tc"])
    }

    @Test("model bytes enter identities when no revision pins them")
    func modelDigest() throws {
        let dir = try TempDir("plan")
        try dir.write("models/tiny/config.json", "{}")
        try dir.write("models/tiny/model.safetensors", "weights v1")
        var model = Fixture.model
        model.revision = nil
        let sweep = Fixture.sweep(models: [model], methods: [Fixture.none, Fixture.rtn], tasks: tasks)
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(sweep)
        try dir.write("models/tiny/model.safetensors", "weights v2")
        #expect(changedSlots(before, p.plan(sweep)) == Set(before.map(\.slot)))
        // A pinned revision is the identity: the folder is not read.
        let pinned = Fixture.sweep(methods: [Fixture.none, Fixture.rtn], tasks: tasks)
        let a = p.plan(pinned)
        try dir.write("models/tiny/model.safetensors", "weights v3")
        #expect(changedSlots(a, p.plan(pinned)).isEmpty)
        var rev2 = Fixture.model
        rev2.revision = "rev-2"
        #expect(changedSlots(a, p.plan(Fixture.sweep(models: [rev2], methods: [Fixture.none, Fixture.rtn], tasks: tasks))) ==
                Set(a.map(\.slot)))
    }

    @Test("placement never enters identities: no hosts, ports or GPU ids; checkout location and labels are free")
    func placementFree() throws {
        let d1 = try TempDir("plan"), d2 = try TempDir("plan")
        for d in [d1, d2] { try d.write("data/a.jsonl", "same bytes\n") }
        var ta = Fixture.synthetic("ta"); ta.data = "data/a.jsonl"
        let sweep = Fixture.sweep(methods: methods, tasks: [ta])
        let a = Planner(baseDirectory: d1.path).plan(sweep)
        // Another checkout folder, another sweep name and file: same identities.
        var renamed = sweep
        renamed.name = "other"; renamed.sourcePath = "/elsewhere/other.toml"
        let b = Planner(baseDirectory: d2.path).plan(renamed)
        #expect(a.map(\.id) == b.map(\.id))
        // Estimates that only steer placement do not enter either.
        var heavier = Fixture.model
        heavier.paramsB = 70
        #expect(Planner(baseDirectory: d1.path).plan(Fixture.sweep(models: [heavier], methods: methods, tasks: [ta])).map(\.id) == a.map(\.id))
        for u in a {
            let j = u.identityJSON.lowercased()
            for word in ["port", "host", "gpu", "bind", "tcp://", d1.path.lowercased(), "paramsb"] {
                #expect(!j.contains(word), "\(u.slot) identity mentions \(word): \(u.identityJSON)")
            }
            #expect(j.contains("acbench-identity/1"))
        }
    }

    @Test("tensor-parallel degree enters eval identities (it changes numerics, cluster.md §5 rule 2)")
    func tensorParallelIdentity() throws {
        let dir = try TempDir("plan")
        let p = Planner(baseDirectory: dir.path)
        let before = p.plan(Fixture.sweep(methods: methods, tasks: tasks))
        var tp2 = Fixture.model
        tp2.tensorParallel = 2
        let after = p.plan(Fixture.sweep(models: [tp2], methods: methods, tasks: tasks))
        #expect(changedSlots(before, after) == Set(before.filter { $0.kind == .eval }.map(\.slot)))
    }

    @Test("shards make N eval units with #k slots")
    func shards() throws {
        let dir = try TempDir("plan")
        let lb = TaskSpec(name: "lb", suite: "longbench", limit: 30, shards: 3)
        let units = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [Fixture.none, Fixture.rtn], tasks: [lb, Fixture.synthetic()]))
        let shards = units.filter { $0.task?.name == "lb" && $0.method.name == "none" }
        #expect(shards.map(\.slot) == ["tiny/none/lb#0", "tiny/none/lb#1", "tiny/none/lb#2"])
        #expect(shards.map(\.shard) == [0, 1, 2])
        #expect(shards.allSatisfy { $0.shardCount == 3 })
        #expect(Set(shards.map(\.id)).count == 3)
        #expect(units.filter { $0.task?.name == "lb" }.count == 6)
        #expect(units.filter { $0.task?.name == "syn" }.allSatisfy { !$0.slot.contains("#") && $0.shardCount == 1 })
        #expect(CostModel.samples(task: lb) == 10)
        // Shard count is part of the identity: resharding is a change.
        var lb4 = lb; lb4.shards = 4
        let resharded = Planner(baseDirectory: dir.path).plan(Fixture.sweep(methods: [Fixture.none], tasks: [lb4]))
        #expect(Set(resharded.map(\.id)).isDisjoint(with: shards.map(\.id)))
    }

    @Test("PlanDiff: reuse, continue and stale with the changed field path")
    func planDiff() throws {
        let f = try StoreFixture()
        let p = Planner(baseDirectory: f.dir.path)
        let v1 = p.plan(Fixture.sweep(methods: [Fixture.none, Fixture.rtn], tasks: tasks))
        // Without a database everything runs.
        let fresh = try PlanDiff.compute(sweep: "test", planned: v1, store: nil)
        #expect(fresh.entries.allSatisfy { $0.action == .run } && fresh.stale.isEmpty)

        try f.store.registerPlan(sweep: "test", units: v1)
        let bySlot = Dictionary(uniqueKeysWithValues: v1.map { ($0.slot, $0) })
        let doneUnit = try #require(bySlot["tiny/none/t1"]), partUnit = try #require(bySlot["tiny/none/t2"])
        let failedUnit = try #require(bySlot["tiny/rtn-w4/t1"])
        var r = try #require(try f.store.records(ids: [doneUnit.id])[doneUnit.id])
        r.state = .done
        try f.store.save(r)
        try f.store.insertSample(unit: partUnit.id, epoch: 1, seq: 1, worker: "w", sample: Fixture.sample(0))
        var fr = try #require(try f.store.records(ids: [failedUnit.id])[failedUnit.id])
        fr.state = .failed
        try f.store.save(fr)

        let same = try PlanDiff.compute(sweep: "test", planned: v1, store: f.store)
        let action = Dictionary(uniqueKeysWithValues: same.entries.map { ($0.unit.slot, $0.action) })
        #expect(action["tiny/none/t1"] == .reuse)
        #expect(action["tiny/none/t2"] == .resume)
        #expect(PlanDiff.Action.resume.rawValue == "continue")
        #expect(action["tiny/rtn-w4/t1"] == .retry)
        #expect(action["tiny/rtn-w4"] == .run)
        #expect(same.entries.first { $0.unit.slot == "tiny/none/t2" }?.stored == 1)
        #expect(same.stale.isEmpty)

        // Change one method parameter and one task's generation: those slots go stale, with reasons.
        var rtn3 = Fixture.rtn
        rtn3.params["bits"] = .int(3)
        var t = tasks
        var g = GenerationSettings()
        g.temperature = 0.5
        t[0].generation = g
        let v2 = p.plan(Fixture.sweep(methods: [Fixture.none, rtn3], tasks: t))
        let diff = try PlanDiff.compute(sweep: "test", planned: v2, store: f.store)
        let stale = Dictionary(uniqueKeysWithValues: diff.stale.map { ($0.slot, $0) })
        #expect(Set(stale.keys) == ["tiny/none/t1", "tiny/rtn-w4", "tiny/rtn-w4/t1", "tiny/rtn-w4/t2"])
        let c = try #require(stale["tiny/rtn-w4"])
        #expect(c.changes.map(\.path) == ["params.bits"])
        #expect(c.changes.first?.old == "4" && c.changes.first?.new == "3")
        #expect(c.newUnit != nil && c.newUnit == v2.first { $0.slot == "tiny/rtn-w4" }?.id)
        let t1 = try #require(stale["tiny/none/t1"])
        #expect(t1.state == "done")
        #expect(t1.changes.map(\.path) == ["generation.temperature"])
        #expect(t1.changes.first?.old == "0" && t1.changes.first?.new == "0.5")
        let dep = try #require(stale["tiny/rtn-w4/t2"])
        #expect(dep.changes.map(\.path) == ["artifact"], "an eval unit is stale because its artifact changed")
        // The unchanged partly-done unit still continues; the stale done unit is not reused.
        let action2 = Dictionary(uniqueKeysWithValues: diff.entries.map { ($0.unit.slot, $0.action) })
        #expect(action2["tiny/none/t2"] == .resume)
        #expect(action2["tiny/none/t1"] == .run)
        let text = diff.render(sweep: Fixture.sweep(methods: [Fixture.none, rtn3], tasks: t), listUnits: false, statePath: f.path)
        #expect(text.contains("stale: 4"))
        #expect(text.contains("params.bits 4 → 3"))
        #expect(text.contains("generation.temperature 0 → 0.5"))

        // A slot that left the sweep is stale with no new unit.
        let v3 = p.plan(Fixture.sweep(methods: [Fixture.none], tasks: tasks))
        let gone = try PlanDiff.compute(sweep: "test", planned: v3, store: f.store).stale
        #expect(Set(gone.map(\.slot)) == ["tiny/rtn-w4", "tiny/rtn-w4/t1", "tiny/rtn-w4/t2"])
        #expect(gone.allSatisfy { $0.newUnit == nil })
    }
}
