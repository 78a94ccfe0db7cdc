/// One row of `results.csv` / `results.json`: one metric of one (model, method, task).
public struct ExportRow: Sendable, Equatable {
    public var sweep: String
    public var model: String
    public var method: String
    public var task: String
    public var suite: String
    public var capability: String
    public var metric: String
    /// nil when the cell has no value (its `status` says why).
    public var value: Double?
    /// The same metric of the model's uncompressed cell, when done.
    public var baseline: Double?
    public var relChangePct: Double?
    public var status: String
    public var failureClass: String?
    public var samples: Int
    public var sampleTotal: Int?
    /// The eval unit ids behind the value, `;`-separated (shard order).
    public var unitIds: String
    public var artifactDigest: String?

    /// Column names, in file order.
    public static let columns = ["sweep", "model", "method", "task", "suite", "capability", "metric", "value", "baseline",
                                 "rel_change_pct", "status", "failure_class", "samples", "sample_total", "unit_ids",
                                 "artifact_digest"]

    /// The row's fields in `columns` order.
    public var fields: [ExportField] {
        [.text(sweep), .text(model), .text(method), .text(task), .text(suite), .text(capability), .text(metric),
         .number(value), .number(baseline), .number(relChangePct), .text(status), .optionalText(failureClass),
         .number(Double(samples)), .number(sampleTotal.map(Double.init)), .text(unitIds), .optionalText(artifactDigest)]
    }
}

/// A field of an exported row.
public enum ExportField: Sendable, Equatable {
    case text(String), optionalText(String?), number(Double?)
}

extension StudyResults {
    /// Every metric of every cell (cells without values: one row with the headline metric and no value).
    public var exportRows: [ExportRow] {
        orderedCells.flatMap { c -> [ExportRow] in
            let base = baseline(of: c)
            let metrics = c.metrics.isEmpty ? [c.headline ?? ""] : c.metrics.keys.sorted()
            return metrics.map { m in
                ExportRow(sweep: sweep, model: c.model, method: c.method, task: c.task, suite: c.suite,
                          capability: c.capability.rawValue, metric: m, value: c.metrics[m],
                          baseline: base?.status == .done ? base?.metrics[m] : nil,
                          relChangePct: relativeChange(c, metric: m), status: c.status.label,
                          failureClass: c.status.failureClass, samples: c.samples, sampleTotal: c.sampleTotal,
                          unitIds: c.unitIds.joined(separator: ";"), artifactDigest: c.artifactDigest)
            }
        }
    }
}
