/// The four agent capabilities ACBench groups its tasks by (plus `other` for test suites).
public enum Capability: String, Sendable, CaseIterable, Codable {
    case workflow
    case toolUse = "tool use"
    case longContext = "long context"
    case realWorld = "real-world"
    case other

    /// The capability a suite measures: workflow = WorfBench, tool use = T-Eval, long context =
    /// LongBench, LongGenBench, Needle; real-world = AgentBoard's environments.
    public static func of(suite: String) -> Capability {
        switch suite {
        case "worfbench": return .workflow
        case "teval": return .toolUse
        case "longbench", "longgenbench", "needle": return .longContext
        case "agentboard": return .realWorld
        default: return .other
        }
    }
}

/// The metric a task's cell shows in the main table.
public enum Headline {
    /// Per suite, where the suite's aggregate names it.
    static let bySuite = ["needle": "set_recall", "synthetic": "score", "agentboard": "progress_rate"]
    /// Otherwise the first of these present, else the first top-level key.
    static let fallbacks = ["score", "overall", "success_rate", "progress_rate", "accuracy"]

    /// The headline metric of `suite` among the aggregate keys `keys` (nil when there are none).
    public static func metric(suite: String, keys: some Collection<String>) -> String? {
        if let m = bySuite[suite], keys.contains(m) { return m }
        if let m = fallbacks.first(where: keys.contains) { return m }
        return keys.filter { !$0.contains("/") }.sorted().first
    }
}
