import Protocol

/// What running a sweep would do now, given the state database: `acbench plan`'s answer.
public struct PlanDiff: Sendable {
    public enum Action: String, Sendable { case run, reuse, resume = "continue", retry, running }

    public struct Entry: Sendable {
        public var unit: UnitSpec
        public var action: Action
        public var stored: Int
    }

    /// A stored unit that the sweep no longer uses: its identity changed (or its slot left the sweep).
    public struct Stale: Sendable {
        public var slot: String
        public var oldUnit: String
        public var newUnit: String?
        public var state: String
        /// Identity fields that changed: path, old value, new value.
        public var changes: [(path: String, old: String, new: String)]
    }

    public var entries: [Entry]
    public var stale: [Stale]

    /// Compares the planned units with the store (nil: no database yet, everything runs).
    public static func compute(sweep: String, planned: [UnitSpec], store: StateStore?) throws -> PlanDiff {
        guard let store else { return PlanDiff(entries: planned.map { Entry(unit: $0, action: .run, stored: 0) }, stale: []) }
        let records = try store.records(ids: planned.map(\.id))
        let entries = planned.map { u -> Entry in
            guard let r = records[u.id] else { return Entry(unit: u, action: .run, stored: 0) }
            switch r.state {
            case .done: return Entry(unit: u, action: .reuse, stored: r.stored)
            case .failed: return Entry(unit: u, action: .retry, stored: r.stored)
            case .running: return Entry(unit: u, action: .running, stored: r.stored)
            case .pending: return Entry(unit: u, action: r.stored > 0 ? .resume : .run, stored: r.stored)
            }
        }
        let plannedBySlot = Dictionary(planned.map { ($0.slot, $0) }, uniquingKeysWith: { a, _ in a })
        let previous = try store.db.rows("""
            SELECT p.slot, u.id, u.state, u.spec FROM sweep_slots p JOIN units u ON u.id = p.unit_id WHERE p.sweep = ?
            """, [.text(sweep)]) { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "") }
        var stale: [Stale] = []
        for (slot, id, state, specJSON) in previous where plannedBySlot[slot]?.id != id {
            let new = plannedBySlot[slot]
            var changes: [(path: String, old: String, new: String)] = []
            if let new, let oldSpec = store.decode(UnitSpec.self, specJSON),
               let a = JSONTree.parse(oldSpec.identityJSON), let b = JSONTree.parse(new.identityJSON) {
                changes = b.differences(from: a)
            }
            stale.append(Stale(slot: slot, oldUnit: id, newUnit: new?.id, state: state, changes: changes))
        }
        return PlanDiff(entries: entries, stale: stale)
    }

    /// A human summary: counts per kind and action, then stale units with their reasons.
    public func render(sweep: SweepSpec, listUnits: Bool, statePath: String?) -> String {
        var out = "sweep '\(sweep.name)': \(sweep.models.count) models × \(sweep.methods.count) methods × \(sweep.tasks.count) tasks\n"
        let kinds = UnitKind.allCases.compactMap { k -> String? in
            let n = entries.filter { $0.unit.kind == k }.count
            return n > 0 ? "\(n) \(k.rawValue)" : nil
        }
        out += "units: \(entries.count) (\(kinds.joined(separator: ", ")))\n"
        out += statePath.map { "state: \($0)\n" } ?? "state: no database yet — everything runs\n"
        for a in [Action.run, .resume, .retry, .running, .reuse] {
            let n = entries.filter { $0.action == a }.count
            if n > 0 {
                let label: String
                switch a {
                case .run: label = "to run"
                case .resume: label = "to continue (partly done)"
                case .retry: label = "failed before, to retry"
                case .running: label = "leased when the coordinator stopped"
                case .reuse: label = "done, reused"
                }
                out += "  \(String(n).leftPad(5)) \(label)\n"
            }
        }
        if !stale.isEmpty {
            out += "stale: \(stale.count) stored unit(s) no longer match the sweep and will not be reused:\n"
            for s in stale {
                out += "  \(s.slot) (\(s.state), \(s.oldUnit.prefix(12)))"
                if s.newUnit == nil { out += ": no longer in the sweep\n"; continue }
                out += ": " + (s.changes.isEmpty ? "identity changed" : s.changes.map { "\($0.path) \($0.old) → \($0.new)" }.joined(separator: "; ")) + "\n"
            }
        }
        if listUnits {
            for e in entries {
                out += "  \(e.action.rawValue.padding(8)) \(e.unit.kind.rawValue.padding(8)) \(e.unit.id.prefix(12))  \(e.unit.slot)"
                out += e.stored > 0 ? "  (\(e.stored) stored)\n" : "\n"
            }
        }
        return out
    }
}
