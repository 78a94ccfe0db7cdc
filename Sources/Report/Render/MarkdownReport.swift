import Coordinator

/// `report.md` and the terminal summary.
extension StudyResults {
    /// Header line: sweep, time, unit counts by state.
    public var summaryLine: String {
        let counts = UnitState.allCases.map { "\(unitCounts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        return "sweep '\(sweep)': \(models.count) models × \(methods.count) methods × \(tasks.count) tasks; units: \(counts)"
    }

    /// The whole report as Markdown.
    public var markdown: String {
        var out = "# ACBench results — \(sweep)\n\n\(summaryLine)\n\n"
        out += "Cells: the headline metric (relative change against the same model's `\(baselineMethod ?? "none")` baseline), "
        out += "or the cell's status: running, failed (class), not run, stale.\n\n"
        out += "## Main table\n\n" + mainTable.markdown + "\n"
        out += "## Methods\n\n" + methodsTable.markdown + "\n"
        if baselineMethod != nil && methods.count > 1 {
            out += "## Change per capability (mean over done tasks)\n\n" + capabilityTable.markdown + "\n"
        }
        out += "## Per-suite details\n\n"
        for t in tasks {
            out += "### \(t.name) (\(t.suite), \(t.capability.rawValue))\n\n" + detailTable(t).markdown + "\n"
            for (title, grid) in needleGrids(t) {
                out += "Needle \(grid.score), \(title):\n\n" + grid.table.markdown + "\n"
            }
        }
        out += "## Analysis (ERank, top-k correlation, energy)\n\n"
        out += analysisTable.map(\.markdown) ?? "No analysis rows in the database (the sweep ran no analysis units).\n"
        return out
    }

    /// The terminal view the demo prints: main table and needle grids, plain text.
    public var terminal: String {
        var out = "results of sweep '\(sweep)'\n" + mainTable.plain
        for t in tasks {
            for (title, grid) in needleGrids(t) {
                out += "\nneedle \(grid.score), \(title) (rows: context tokens, columns: depth %)\n" + grid.table.plain
            }
        }
        return out
    }
}
