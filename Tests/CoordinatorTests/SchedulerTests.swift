import Testing
@testable import Coordinator
@testable import Protocol

/// A hand-built sweep view for the scheduler.
private struct Board {
    var records: [String: UnitRecord] = [:]
    var order: [String] = []
    var dependents: [String: [String]] = [:]
    var artifactHosts: [String: String] = [:]

    mutating func add(_ id: String, _ kind: UnitKind, dependsOn: [String] = [], cost: Double = 1, memoryGiB: Double = 1,
                      state: UnitState = .pending, retryAfter: Double = 0) {
        let u = UnitSpec(id: id, slot: "slot-\(id)", kind: kind, model: Fixture.model,
                         method: kind == .compress || !dependsOn.isEmpty ? Fixture.rtn : Fixture.none,
                         task: kind == .eval ? Fixture.synthetic() : nil, shard: 0, shardCount: 1,
                         generation: kind == .eval ? GenerationSettings() : nil, dependsOn: dependsOn,
                         identityJSON: "{}", estimatedCost: cost, memoryGiB: kind == .eval ? memoryGiB : 0)
        var r = UnitRecord(spec: u)
        r.state = state; r.retryAfter = retryAfter
        records[id] = r
        order.append(id)
        for d in dependsOn { dependents[d, default: []].append(id) }
    }

    mutating func set(_ id: String, _ state: UnitState) { records[id]?.state = state }

    var view: Scheduler.View {
        Scheduler.View(records: records, order: order, dependents: dependents, artifactHosts: artifactHosts)
    }
}

private func worker(host: String = "host-a", memoryGiB: Double = 80, gpus: [Int] = [0], serving: String? = nil,
                    artifacts: [String] = [], kinds: [UnitKind] = [.compress, .eval]) -> WorkerSession {
    var w = WorkerSession(name: "w", peer: [1], incarnation: "i",
                          capabilities: Fixture.capabilities(host: host, memoryGiB: memoryGiB, gpus: gpus,
                                                             artifacts: artifacts, kinds: kinds), now: 0)
    w.serving = serving
    return w
}

@Suite("Scheduler")
struct SchedulerTests {
    let shared = Scheduler(artifactsShared: true)

    @Test("preference: warm artifact > artifact on disk > compress unit > longest eval")
    func preferenceOrder() {
        var b = Board()
        b.add("cWarm", .compress, state: .done)
        b.add("cDisk", .compress, state: .done)
        b.add("cNew", .compress, cost: 5)
        b.add("eWarm", .eval, dependsOn: ["cWarm"], cost: 1)
        b.add("eDisk", .eval, dependsOn: ["cDisk"], cost: 10)
        b.add("eNew", .eval, dependsOn: ["cNew"], cost: 10_000)
        b.add("eBase", .eval, cost: 1_000)
        let w = worker(serving: "cWarm", artifacts: ["cDisk"])
        #expect(shared.pick(for: w, in: b.view, now: 0) == "eWarm")
        b.set("eWarm", .running)
        #expect(shared.pick(for: w, in: b.view, now: 0) == "eDisk")
        b.set("eDisk", .done)
        #expect(shared.pick(for: w, in: b.view, now: 0) == "cNew", "a compress unit before a long cold eval")
        b.set("cNew", .running)
        #expect(shared.pick(for: w, in: b.view, now: 0) == "eBase")
        b.set("eBase", .done)
        #expect(shared.pick(for: w, in: b.view, now: 0) == nil, "eNew waits for its compress unit")
        b.set("cNew", .done)
        #expect(shared.pick(for: w, in: b.view, now: 0) == "eNew")
        // The baseline model being served is warm too.
        var b2 = Board()
        b2.add("eCold", .eval, dependsOn: [], cost: 1)
        #expect(shared.pick(for: worker(serving: "base:tiny"), in: b2.view, now: 0) == "eCold")
    }

    @Test("warm beats disk even when the disk unit is much longer")
    func warmBeatsDisk() {
        var b = Board()
        b.add("c1", .compress, state: .done)
        b.add("c2", .compress, state: .done)
        b.add("e2", .eval, dependsOn: ["c2"], cost: 1_000_000)
        b.add("e1", .eval, dependsOn: ["c1"], cost: 1)
        #expect(shared.pick(for: worker(serving: "c1", artifacts: ["c2"]), in: b.view, now: 0) == "e1")
        #expect(shared.pick(for: worker(serving: "c2", artifacts: ["c1"]), in: b.view, now: 0) == "e2")
        #expect(shared.pick(for: worker(artifacts: ["c1"]), in: b.view, now: 0) == "e1")
    }

    @Test("among compress units: the one unlocking most pending eval work, then the longest")
    func compressUnlocksMost() {
        var b = Board()
        b.add("cFew", .compress, cost: 1_000)
        b.add("cMany", .compress, cost: 10)
        b.add("cMany2", .compress, cost: 20)
        for i in 0..<2 { b.add("f\(i)", .eval, dependsOn: ["cFew"]) }
        for i in 0..<5 { b.add("m\(i)", .eval, dependsOn: ["cMany"]) }
        for i in 0..<5 { b.add("n\(i)", .eval, dependsOn: ["cMany2"]) }
        #expect(shared.pick(for: worker(), in: b.view, now: 0) == "cMany2")
        // Dependents already done do not count.
        for i in 0..<4 { b.set("n\(i)", .done) }
        #expect(shared.pick(for: worker(), in: b.view, now: 0) == "cMany")
    }

    @Test("among cold eval units: the longest first")
    func longestEval() {
        var b = Board()
        for (id, cost) in [("a", 3.0), ("b", 30), ("c", 7)] { b.add(id, .eval, cost: cost) }
        #expect(shared.pick(for: worker(), in: b.view, now: 0) == "b")
        b.set("b", .running)
        #expect(shared.pick(for: worker(), in: b.view, now: 0) == "c")
    }

    @Test("units whose dependencies are not done are never picked", arguments: [UnitState.pending, .running, .failed])
    func dependencies(_ depState: UnitState) {
        var b = Board()
        b.add("c", .compress, state: depState)
        b.add("e", .eval, dependsOn: ["c"], cost: 100)
        // Even a worker that claims to serve or hold the artifact.
        let w = worker(serving: "c", artifacts: ["c"])
        let picked = shared.pick(for: w, in: b.view, now: 0)
        #expect(picked != "e")
        #expect(picked == (depState == .pending ? "c" : nil))
        // A dependency that is not in the sweep at all is not done either.
        var b2 = Board()
        b2.add("e", .eval, dependsOn: ["missing"])
        #expect(shared.pick(for: w, in: b2.view, now: 0) == nil)
    }

    @Test("eval units that do not fit a GPU worker's memory are never picked")
    func memory() {
        var b = Board()
        b.add("huge", .eval, cost: 100, memoryGiB: 120)
        b.add("small", .eval, cost: 1, memoryGiB: 20)
        #expect(shared.pick(for: worker(memoryGiB: 80), in: b.view, now: 0) == "small")
        b.set("small", .done)
        #expect(shared.pick(for: worker(memoryGiB: 80), in: b.view, now: 0) == nil)
        #expect(shared.pick(for: worker(memoryGiB: 80, serving: "base:tiny"), in: b.view, now: 0) == nil, "not even warm")
        #expect(shared.pick(for: worker(memoryGiB: 141, gpus: [0, 1]), in: b.view, now: 0) == "huge")
        #expect(shared.pick(for: worker(memoryGiB: 120), in: b.view, now: 0) == "huge", "exactly fitting is fine")
    }

    @Test("retry backoff is respected")
    func backoff() {
        var b = Board()
        b.add("e", .eval, cost: 100, retryAfter: 50)
        b.add("short", .eval, cost: 1)
        #expect(shared.pick(for: worker(), in: b.view, now: 49.9) == "short")
        b.set("short", .done)
        #expect(shared.pick(for: worker(), in: b.view, now: 49.9) == nil)
        #expect(shared.pick(for: worker(), in: b.view, now: 50) == "e")
    }

    @Test("a worker gets only the unit kinds it accepts")
    func kinds() {
        var b = Board()
        b.add("c", .compress, cost: 1)
        b.add("e", .eval, cost: 100)
        #expect(shared.pick(for: worker(kinds: [.eval]), in: b.view, now: 0) == "e")
        #expect(shared.pick(for: worker(kinds: [.compress]), in: b.view, now: 0) == "c")
        #expect(shared.pick(for: worker(kinds: []), in: b.view, now: 0) == nil)
    }

    @Test("without shared artifact storage, eval units stay on their artifact's host")
    func artifactHost() {
        let local = Scheduler(artifactsShared: false)
        var b = Board()
        b.add("c", .compress, state: .done)
        b.add("e", .eval, dependsOn: ["c"], cost: 100)
        b.add("base", .eval, cost: 1)
        b.artifactHosts["c"] = "host-a"
        #expect(local.pick(for: worker(host: "host-b"), in: b.view, now: 0) == "base")
        b.set("base", .done)
        #expect(local.pick(for: worker(host: "host-b"), in: b.view, now: 0) == nil)
        #expect(local.pick(for: worker(host: "host-b", serving: "c", artifacts: ["c"]), in: b.view, now: 0) == nil)
        #expect(local.pick(for: worker(host: "host-a"), in: b.view, now: 0) == "e")
        // With shared storage any host may take it.
        #expect(shared.pick(for: worker(host: "host-b"), in: b.view, now: 0) == "e")
        // On its host it ranks as "on disk", ahead of a longer cold unit.
        b.add("cold", .eval, cost: 1_000_000)
        #expect(local.pick(for: worker(host: "host-a"), in: b.view, now: 0) == "e")
    }
}
