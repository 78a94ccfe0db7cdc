import Coordinator
import Protocol
import Tasks

extension StudyResults {
    /// Reads a sweep's results from `store` (read-only queries; safe while a sweep runs).
    /// `sweep` nil: the sweep the coordinator ran last.
    public static func load(store: StateStore, sweep: String?, now: Double = wallClock()) throws -> StudyResults {
        guard let name = try sweep ?? store.sweeps().first else {
            throw ReportError("\(store.db.path): no sweep has been planned in this database yet")
        }
        let records = try store.sweepRecords(sweep: name)
        guard !records.isEmpty else {
            throw ReportError("\(store.db.path): sweep '\(name)' has no units in this database")
        }
        var models: [String] = [], methods: [String] = [], tasks: [TaskColumn] = []
        var baseline: String?
        var groups: [String: [UnitRecord]] = [:]
        var compress: [String: UnitRecord] = [:]
        var counts: [UnitState: Int] = [:]
        var methodDetails: [String: MethodSpec] = [:], dtypes: [String: String] = [:]
        for r in records {
            counts[r.state, default: 0] += 1
            let s = r.spec
            if !models.contains(s.model.name) { models.append(s.model.name) }
            if !methods.contains(s.method.name) { methods.append(s.method.name) }
            if s.method.algorithm == "none" && baseline == nil { baseline = s.method.name }
            methodDetails[s.method.name] = s.method
            if let g = s.generation { dtypes[s.method.name] = g.dtype }
            if s.kind == .compress { compress[s.id] = r; continue }
            guard let task = s.task else { continue }
            if !tasks.contains(where: { $0.name == task.name }) { tasks.append(TaskColumn(name: task.name, suite: task.suite)) }
            groups[key(s.model.name, s.method.name, task.name), default: []].append(r)
        }
        let order = Capability.allCases
        let sortedTasks = tasks.enumerated().sorted { a, b in
            let ca = order.firstIndex(of: a.element.capability)!, cb = order.firstIndex(of: b.element.capability)!
            return ca != cb ? ca < cb : a.offset < b.offset
        }.map(\.element)
        let reader = CellReader(store: store, compress: compress)
        var cells: [String: ResultCell] = [:]
        for (k, units) in groups { cells[k] = try reader.cell(units.sorted { $0.spec.shard < $1.spec.shard }) }
        // One headline per task, from the metrics of all its cells.
        for t in sortedTasks {
            let keys = Set(cells.values.filter { $0.task == t.name }.flatMap(\.metrics.keys))
            let headline = Headline.metric(suite: t.suite, keys: keys) ?? Headline.bySuite[t.suite] ?? Headline.fallbacks[0]
            for (k, c) in cells where c.task == t.name { cells[k]?.headline = headline }
        }
        // The baseline first, then the sweep's order.
        if let b = baseline { methods = [b] + methods.filter { $0 != b } }
        return StudyResults(sweep: name, generatedAt: now, models: models, methods: methods, baselineMethod: baseline,
                            tasks: sortedTasks, cells: cells, unitCounts: counts,
                            analysis: try store.analysisRows(models: models), methodDetails: methodDetails, servingDtypes: dtypes)
    }
}

/// Turns the eval units of one (model, method, task) into a cell.
struct CellReader {
    let store: StateStore
    let compress: [String: UnitRecord]

    func cell(_ units: [UnitRecord]) throws -> ResultCell {
        let spec = units[0].spec
        let suite = spec.task?.suite ?? "?"
        var cell = ResultCell(model: spec.model.name, method: spec.method.name, task: spec.task?.name ?? "?", suite: suite,
                              status: .done, metrics: [:], headline: nil,
                              samples: units.reduce(0) { $0 + $1.stored },
                              sampleTotal: units.allSatisfy { $0.sampleTotal != nil } ? units.reduce(0) { $0 + ($1.sampleTotal ?? 0) } : nil,
                              unitIds: units.map(\.spec.id), artifactDigest: nil)
        if let dep = spec.dependsOn.first { cell.artifactDigest = try store.artifact(unit: dep)?.digest }
        let dependency = spec.dependsOn.first.flatMap { compress[$0] }
        if let failed = units.first(where: { $0.state == .failed }) {
            cell.status = .failed(failed.failureClass, message: failed.failureMessage)
        } else if let dependency, dependency.state == .failed {
            cell.status = .failed(dependency.failureClass, message: "compress unit failed: \(dependency.failureMessage ?? "")")
        } else if units.allSatisfy({ $0.state == .done }) {
            cell.metrics = try aggregate(suite: suite, units: units.map(\.spec.id))
        } else if units.contains(where: { $0.state == .running }) {
            cell.status = .running(stored: cell.samples, total: cell.sampleTotal)
        } else if let old = try staleUnits(units) {
            cell.status = .stale
            cell.unitIds = old
            cell.metrics = try aggregate(suite: suite, units: old)
            let oldRecords = try store.records(ids: old).values
            cell.samples = oldRecords.reduce(0) { $0 + $1.stored }
            cell.sampleTotal = oldRecords.allSatisfy { $0.sampleTotal != nil } ? oldRecords.reduce(0) { $0 + ($1.sampleTotal ?? 0) } : nil
            let dependency = try store.records(ids: [old[0]])[old[0]]?.spec.dependsOn.first
            cell.artifactDigest = try dependency.flatMap { try store.artifact(unit: $0)?.digest }
        } else {
            cell.status = .notRun(stored: cell.samples, retrying: units.compactMap(\.failureClass).first)
        }
        return cell
    }

    /// The suite's reference aggregation over the samples of `units`; for suites acbench does not
    /// score itself, or whose aggregation yields nothing from these samples (a T-Eval subset
    /// without its run metadata, say), the mean of each score key.
    func aggregate(suite: String, units: [String]) throws -> [String: Double] {
        let samples = try units.flatMap { try store.samples(unit: $0) }
        if let a = SuiteRegistry.aggregate(suite: suite, samples), !a.isEmpty { return a }
        var sums: [String: (Double, Int)] = [:]
        for r in samples { for (k, v) in r.scores { sums[k, default: (0, 0)].0 += v; sums[k, default: (0, 0)].1 += 1 } }
        return sums.mapValues { $0.0 / Double($0.1) }
    }

    /// Finished units of an older identity for every shard slot of `units` (nil unless all exist).
    func staleUnits(_ units: [UnitRecord]) throws -> [String]? {
        var old: [String] = []
        for u in units {
            let ids = try store.db.rows("""
                SELECT id FROM units WHERE slot = ? AND id <> ? AND state = 'done' ORDER BY finished_at DESC LIMIT 1
                """, [.text(u.spec.slot), .text(u.spec.id)]) { $0.text(0) ?? "" }
            guard let id = ids.first else { return nil }
            old.append(id)
        }
        return old
    }
}

/// A report that cannot be made, with the reason.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
