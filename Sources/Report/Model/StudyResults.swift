import Coordinator
import Protocol

/// Everything a report shows, read from the state database at one moment.
public struct StudyResults: Sendable {
    public var sweep: String
    public var generatedAt: Double
    public var models: [String]
    /// Methods in sweep order; `baselineMethod` is the one whose algorithm is `none`.
    public var methods: [String]
    public var baselineMethod: String?
    /// Tasks ordered by capability (workflow, tool use, long context, real-world), then sweep order.
    public var tasks: [TaskColumn]
    public var cells: [String: ResultCell]
    /// Unit counts by state (all kinds), for the header.
    public var unitCounts: [UnitState: Int]
    public var analysis: [AnalysisRow]
    /// Each method as the sweep defines it (algorithm, parameters, calibration), by name.
    public var methodDetails: [String: MethodSpec] = [:]
    /// The dtype each method's eval units were served in, by name.
    public var servingDtypes: [String: String] = [:]

    static func key(_ model: String, _ method: String, _ task: String) -> String { "\(model)\u{1F}\(method)\u{1F}\(task)" }

    public func cell(_ model: String, _ method: String, _ task: String) -> ResultCell? { cells[Self.key(model, method, task)] }

    /// The cells in table order (model, method, task).
    public var orderedCells: [ResultCell] {
        models.flatMap { m in methods.flatMap { k in tasks.compactMap { cell(m, k, $0.name) } } }
    }

    /// The same model's uncompressed cell for `cell`'s task.
    public func baseline(of cell: ResultCell) -> ResultCell? {
        baselineMethod.flatMap { self.cell(cell.model, $0, cell.task) }
    }

    /// Relative change of `metric` against the baseline in percent, when both are done and the base is non-zero.
    public func relativeChange(_ cell: ResultCell, metric: String? = nil) -> Double? {
        guard let metric = metric ?? cell.headline, cell.status == .done, let base = baseline(of: cell),
              base.status == .done, let v = cell.metrics[metric], let b = base.metrics[metric], b != 0 else { return nil }
        return (v - b) / abs(b) * 100
    }

    /// Capabilities present in the sweep, in display order.
    public var capabilities: [Capability] { Capability.allCases.filter { c in tasks.contains { $0.capability == c } } }

    /// Mean relative change of the headline metrics over a capability's tasks that are done for
    /// both the method and the baseline (nil when none is).
    public func capabilityChange(model: String, method: String, capability: Capability) -> Double? {
        let changes = tasks.filter { $0.capability == capability }
            .compactMap { cell(model, method, $0.name) }.compactMap { relativeChange($0) }
        return changes.isEmpty ? nil : changes.reduce(0, +) / Double(changes.count)
    }
}
