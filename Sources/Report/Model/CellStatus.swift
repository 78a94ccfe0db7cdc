import Protocol

/// What a report cell says when it has no (current) value, or that it has one: never a blank.
public enum CellStatus: Sendable, Equatable {
    /// Every shard done; the metrics are final.
    case done
    /// A shard is leased to a worker; `stored` of `total` samples so far.
    case running(stored: Int, total: Int?)
    /// A shard (or the compress unit it needs) failed and is out of retries.
    case failed(FailureClass?, message: String?)
    /// Not started or waiting (`stored` samples kept from an earlier run; a retry pending after `retrying`).
    case notRun(stored: Int, retrying: FailureClass?)
    /// Only results of an older identity of this slot exist (the sweep changed); they are not reused.
    case stale

    /// `done`, `running`, `failed`, `not run`, `stale` (the CSV/JSON `status` column).
    public var label: String {
        switch self {
        case .done: return "done"
        case .running: return "running"
        case .failed: return "failed"
        case .notRun: return "not run"
        case .stale: return "stale"
        }
    }

    /// The failure class, for failed cells.
    public var failureClass: String? {
        if case .failed(let c, _) = self { return c?.rawValue ?? "unknown" }
        return nil
    }

    /// A short human text: `running 12/40`, `failed (out_of_memory)`, `not run (retrying: timeout)`.
    public var text: String {
        switch self {
        case .done: return "done"
        case .running(let s, let t): return "running \(s)/\(t.map(String.init) ?? "?")"
        case .failed(let c, _): return "failed (\(c?.rawValue ?? "unknown"))"
        case .notRun(let s, let r):
            var parts: [String] = []
            if s > 0 { parts.append("\(s) stored") }
            if let r { parts.append("retrying: \(r.rawValue)") }
            return parts.isEmpty ? "not run" : "not run (\(parts.joined(separator: ", ")))"
        case .stale: return "stale"
        }
    }
}
