import Coordinator
import Protocol
import Tasks

/// The study's table from the state database: one row per (model, method), one column per task,
/// each cell the suite's headline metric aggregated as the reference does — or the unit's state.
struct ResultsTable {
    let store: StateStore
    let sweep: String

    /// Headline metrics per suite, in display order.
    static let headline: [String: [String]] = ["needle": ["set_recall", "rouge1_f"], "synthetic": ["score"]]

    func render() throws -> String {
        let records = try store.sweepRecords(sweep: sweep).filter { $0.spec.kind == .eval }
        var rows: [String] = [], tasks: [String] = []
        var cells: [String: [UnitRecord]] = [:]
        for r in records {
            let row = "\(r.spec.model.name)  \(r.spec.method.name)", task = r.spec.task?.name ?? "?"
            if !rows.contains(row) { rows.append(row) }
            if !tasks.contains(task) { tasks.append(task) }
            cells["\(row)|\(task)", default: []].append(r)
        }
        var table = [["model  method"] + tasks]
        var heatmaps = ""
        for row in rows {
            var line = [row]
            for task in tasks {
                let units = cells["\(row)|\(task)"] ?? []
                line.append(try cell(units, heatmaps: &heatmaps, title: "\(row)  \(task)"))
            }
            table.append(line)
        }
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        var out = "results of sweep '\(sweep)'\n"
        for (i, line) in table.enumerated() {
            out += zip(line, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "   ") + "\n"
            if i == 0 { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "   ") + "\n" }
        }
        return out + heatmaps
    }

    /// A cell: the metrics when every shard is done, otherwise what the units are doing.
    func cell(_ units: [UnitRecord], heatmaps: inout String, title: String) throws -> String {
        guard let first = units.first, let task = first.spec.task else { return "not planned" }
        if let failed = units.first(where: { $0.state == .failed }) {
            return "failed (\(failed.failureClass?.rawValue ?? "?"))"
        }
        let done = units.filter { $0.state == .done }.count
        guard done == units.count else {
            let running = units.contains { $0.state == .running }
            return "\(running ? "running" : "not run") (\(done)/\(units.count) shards)"
        }
        let samples = try units.flatMap { try store.samples(unit: $0.spec.id) }
        guard let suite = SuiteRegistry.singleTurn(task.suite) else {
            return "\(samples.count) samples"
        }
        let agg = suite.aggregate(samples)
        if task.suite == "needle" { heatmaps += NeedleHeatmap.render(agg, title: title) }
        let keys = Self.headline[task.suite] ?? agg.keys.sorted().prefix(2).map { $0 }
        return keys.compactMap { k in agg[k].map { "\(k) \(format($0))" } }.joined(separator: ", ")
    }

    func format(_ v: Double) -> String {
        let scaled = (v * 1000).rounded() / 1000
        return String(scaled)
    }
}

/// The needle grid as text: context length down, depth across, set-recall per cell.
enum NeedleHeatmap {
    static func render(_ agg: [String: Double], title: String) -> String {
        var lengths = Set<Int>(), depths = Set<String>()
        for key in agg.keys where key.hasPrefix("set_recall/len") {
            let parts = key.split(separator: "/")
            guard parts.count == 3, let l = Int(parts[1].dropFirst(3)) else { continue }
            lengths.insert(l); depths.insert(String(parts[2].dropFirst(5)))
        }
        guard !lengths.isEmpty else { return "" }
        let ds = depths.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
        var out = "\nneedle set-recall, \(title) (rows: context tokens, columns: depth %)\n"
        out += "        " + ds.map { $0.padding(6) }.joined() + "\n"
        for l in lengths.sorted() {
            out += String(l).padding(8)
            for d in ds {
                let v = agg["set_recall/len\(l)/depth\(d)"]
                out += (v.map { String(Int(($0 * 100).rounded())) + "%" } ?? "—").padding(6)
            }
            out += "\n"
        }
        return out
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
