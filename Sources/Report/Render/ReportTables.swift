/// The report's tables as plain data, shared by the Markdown, terminal and HTML renderers.
extension StudyResults {
    /// What a main-table cell says: `0.812 (−4.1%)`, `0.900` for the baseline, or its status.
    public func mainText(_ c: ResultCell?) -> String {
        guard let c else { return "not planned" }
        switch c.status {
        case .done:
            guard let v = c.score else { return "done (no \(c.headline ?? "score"))" }
            if c.method == baselineMethod { return Fmt.score(v) }
            return Fmt.score(v) + " (" + (relativeChange(c).map(Fmt.change) ?? "no baseline") + ")"
        case .stale:
            return "stale" + (c.headline.flatMap { c.metrics[$0] }.map { " (was \(Fmt.score($0)))" } ?? "")
        default:
            return c.status.text
        }
    }

    /// Header label of a task column: `long context: needle`.
    public func columnLabel(_ t: TaskColumn) -> String { "\(t.capability.rawValue): \(t.name)" }

    /// The study's main table: a row per (model, method), a column per task grouped by capability.
    public var mainTable: TextTable {
        TextTable(header: ["model", "method"] + tasks.map(columnLabel),
                  rows: models.flatMap { m in methods.map { k in [m, k] + tasks.map { mainText(cell(m, k, $0.name)) } } })
    }

    /// One row per method: what it does to the model and how its checkpoints were served.
    public var methodsTable: TextTable {
        TextTable(header: ["method", "algorithm", "parameters", "calibration", "served as"],
                  rows: methods.map { name in
                      let m = methodDetails[name]
                      let params = (m?.params ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                      return [name, m?.algorithm ?? "—", params.isEmpty ? "—" : params, m?.calibration ?? "—", servingDtypes[name] ?? "—"]
                  })
    }

    /// Mean relative change per capability for every compressed (model, method).
    public var capabilityTable: TextTable {
        TextTable(header: ["model", "method"] + capabilities.map(\.rawValue),
                  rows: models.flatMap { m in methods.filter { $0 != baselineMethod }.map { k in
                      [m, k] + capabilities.map { c in capabilityChange(model: m, method: k, capability: c).map(Fmt.change) ?? "n/a" }
                  } })
    }

    /// A task's detail table: every aggregate key except the needle grid cells, per (model, method).
    public func detailTable(_ t: TaskColumn) -> TextTable {
        let cells = models.flatMap { m in methods.compactMap { cell(m, $0, t.name) } }
        var keys = Set<String>()
        for c in cells { keys.formUnion(c.metrics.keys.filter { !NeedleGrid.isCellKey($0) }) }
        let sorted = keys.sorted { a, b in
            let sa = a.contains("/"), sb = b.contains("/")
            return sa != sb ? !sa : a < b
        }
        return TextTable(header: ["model", "method", "status", "samples"] + sorted,
                         rows: cells.map { c in
                             [c.model, c.method, c.status.text, c.sampleTotal.map { "\(c.samples)/\($0)" } ?? "\(c.samples)"]
                                 + sorted.map { k in c.metrics[k].map(Fmt.score) ?? "—" }
                         })
    }

    /// Needle grids of the task's cells that have one, titled `model / method`.
    public func needleGrids(_ t: TaskColumn) -> [(title: String, grid: NeedleGrid)] {
        models.flatMap { m in methods.compactMap { k -> (String, NeedleGrid)? in
            guard let c = cell(m, k, t.name), let g = NeedleGrid(metrics: c.metrics) else { return nil }
            return ("\(m) / \(k)" + (c.status == .stale ? " (stale)" : ""), g)
        } }
    }

    /// Analysis summary: a row per (model, method) with ERank and mean correlations per k.
    public var analysisTable: TextTable? {
        guard !analysis.isEmpty else { return nil }
        let summary = AnalysisSummary(rows: analysis)
        let ks = summary.ks
        return TextTable(header: ["model", "method", "erank", "mean energy"] + ks.flatMap { ["kendall@\($0)", "spearman@\($0)"] },
                         rows: summary.pairs.map { p in
                             [p.model, p.method, summary.erank(p).map(Fmt.score) ?? "—",
                              summary.meanEnergy(p).map(Fmt.score) ?? "—"]
                                 + ks.flatMap { k in ["kendall", "spearman"].map { summary.meanCorrelation(p, $0, k: k).map(Fmt.score) ?? "—" } }
                         })
    }
}
