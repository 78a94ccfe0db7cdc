import Foundation
import Logging
import Testing
@testable import Coordinator
@testable import Protocol

/// An engine over a real store in a temporary folder; no sockets. Time is passed explicitly.
final class Harness {
    let fixture: StoreFixture
    let units: [UnitSpec]
    var engine: CoordinatorEngine
    let config: ClusterConfig
    static let t0 = 1_000_000.0

    init(config: ClusterConfig = ClusterConfig(), methods: [MethodSpec] = [Fixture.none],
         tasks: [TaskSpec] = [Fixture.synthetic()]) throws {
        fixture = try StoreFixture()
        self.config = config
        units = Planner(baseDirectory: fixture.dir.path).plan(Fixture.sweep(methods: methods, tasks: tasks))
        try fixture.store.registerPlan(sweep: "test", units: units, now: Self.t0)
        engine = try Self.makeEngine(fixture.store, units, config, now: Self.t0)
    }

    static func makeEngine(_ store: StateStore, _ units: [UnitSpec], _ config: ClusterConfig, now: Double) throws -> CoordinatorEngine {
        try CoordinatorEngine(store: store, sweep: "test", units: units, config: config,
                              logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: now)
    }

    /// Simulates a coordinator restart: a new engine on the same store.
    func restart(now: Double) throws { engine.flush(now: now); engine = try Self.makeEngine(fixture.store, units, config, now: now) }

    var store: StateStore { fixture.store }

    func unit(_ slot: String) -> UnitSpec { units.first { $0.slot == slot }! }
    var evalUnit: UnitSpec { units.first { $0.kind == .eval }! }

    @discardableResult
    func send(_ peer: [UInt8], _ m: WireMessage, userId: String? = nil, at now: Double) -> [Outgoing] {
        engine.handle(peer: peer, userId: userId, message: m, now: now)
    }

    @discardableResult
    func ready(_ name: String, peer: [UInt8], incarnation: String = "inc-1", running: [RunningUnit] = [],
               minor: Int = WireVersion.minor, userId: String? = nil, capabilities: Capabilities = Fixture.capabilities(),
               at now: Double) -> [Outgoing] {
        send(peer, .ready(ReadyMessage(worker: name, incarnation: incarnation, minor: minor, capabilities: capabilities,
                                       running: running)), userId: userId, at: now)
    }

    /// Registers `name` and leases it a unit; returns the ASSIGN.
    func lease(_ name: String, peer: [UInt8], at now: Double) throws -> AssignMessage {
        ready(name, peer: peer, at: now)
        let out = send(peer, .ask(AskMessage()), at: now)
        return try #require(assigns(out).first, "no ASSIGN in \(out.map(\.message.command))")
    }

    func result(_ unit: String, epoch: Int, seq: Int, index: Int) -> WireMessage {
        .result(ResultMessage(unit: unit, epoch: epoch, seq: seq, sample: Fixture.sample(index)))
    }

    func record(_ id: String) throws -> UnitRecord { try #require(try store.records(ids: [id])[id]) }

    func sampleRows(_ id: String) throws -> Int {
        try store.db.rows("SELECT COUNT(*) FROM samples WHERE unit_id = ?", [.text(id)]) { $0.int(0) }.first ?? 0
    }
}

func assigns(_ out: [Outgoing]) -> [AssignMessage] {
    out.compactMap { if case .assign(let a) = $0.message { return a }; return nil }
}
func acks(_ out: [Outgoing]) -> [AckMessage] {
    out.compactMap { if case .ack(let a) = $0.message { return a }; return nil }
}
func cancels(_ out: [Outgoing]) -> [CancelMessage] {
    out.compactMap { if case .cancel(let a) = $0.message { return a }; return nil }
}
func disconnects(_ out: [Outgoing]) -> [DisconnectMessage] {
    out.compactMap { if case .disconnect(let a) = $0.message { return a }; return nil }
}
func noWorks(_ out: [Outgoing]) -> [NoWorkMessage] {
    out.compactMap { if case .noWork(let a) = $0.message { return a }; return nil }
}

let t0 = Harness.t0
let p1: [UInt8] = [1], p2: [UInt8] = [2], p3: [UInt8] = [3]
