import Protocol

/// What the coordinator's HTTP status endpoint serves: the `status` matrix view and Prometheus
/// metrics, rendered on the coordinator thread and published through a `StatusBoard`.
public struct StatusPage: Sendable {
    /// Plain text: summary line, matrix, workers.
    public var text: String
    /// Prometheus text exposition format (version 0.0.4).
    public var metrics: String

    public static let empty = StatusPage(text: "coordinator starting\n", metrics: "")
}

/// The latest `StatusPage`, written by the coordinator thread and read by the HTTP thread; it also
/// keeps the recent sample counts behind the samples/s rate.
public final class StatusBoard: Sendable {
    let page = Locked(StatusPage.empty)
    /// (time, samples committed) over the last `window` seconds.
    let history = Locked<[(Double, Int)]>([])
    public let window: Double

    public init(window: Double = 30) { self.window = window }

    public var current: StatusPage { page.withLock { $0 } }

    /// Publishes the engine's state now (call on the coordinator thread).
    public func publish(_ engine: CoordinatorEngine, now: Double = wallClock()) {
        let rate = history.withLock { h -> Double in
            h.append((now, engine.samplesCommitted))
            h.removeAll { now - $0.0 > window }
            guard let first = h.first, let last = h.last, last.0 > first.0 else { return 0 }
            return Double(last.1 - first.1) / (last.0 - first.0)
        }
        let p = engine.statusPage(now: now, samplesPerSecond: rate, window: window)
        page.withLock { $0 = p }
    }
}

extension CoordinatorEngine {
    /// The status view and the metrics of this moment.
    func statusPage(now: Double, samplesPerSecond: Double, window: Double) -> StatusPage {
        let s = snapshot(now: now)
        let ordered = order.compactMap { records[$0] }
        var text = "sweep '\(sweep)': \(s.total) units — "
            + UnitState.allCases.map { "\(s.counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            + "; \(s.samples) samples committed, \(Self.decimal(samplesPerSecond)) samples/s"
            + "; elapsed \(ProgressView.duration(s.elapsed)), ETA \(s.eta.map(ProgressView.duration) ?? "--")\n\n"
        text += StatusMatrix.render(ordered)
        if !workers.isEmpty {
            text += "\nworkers:\n"
            for w in workers.values.sorted(by: { $0.name < $1.name }) {
                text += "  \(w.name.padding(16)) \(w.capabilities.host.padding(16)) \(w.state.rawValue.padding(8)) "
                    + "last seen \(ProgressView.duration(now - w.lastSeen)) ago"
                    + (w.unit.flatMap { records[$0]?.spec.slot }.map { "  \($0) \(w.done)/\(w.total)" } ?? "") + "\n"
            }
        }
        return StatusPage(text: text, metrics: PrometheusText.render(engine: self, snapshot: s, samplesPerSecond: samplesPerSecond, window: window, now: now))
    }

    static func decimal(_ v: Double) -> String { String((v * 10).rounded() / 10) }
}

/// The coordinator's metrics in the Prometheus text format.
enum PrometheusText {
    static func render(engine: CoordinatorEngine, snapshot s: SweepSnapshot, samplesPerSecond: Double, window: Double,
                       now: Double) -> String {
        let sweep = label(engine.sweep)
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        family("acbench_units", "gauge", "Units of the sweep by state.")
        for state in UnitState.allCases {
            out += "acbench_units{sweep=\"\(sweep)\",state=\"\(state.rawValue)\"} \(s.counts[state] ?? 0)\n"
        }
        family("acbench_samples_committed_total", "counter", "Sample results committed since the coordinator started.")
        out += "acbench_samples_committed_total{sweep=\"\(sweep)\"} \(s.samples)\n"
        family("acbench_samples_per_second", "gauge", "Samples committed per second over the last \(Int(window)) s.")
        out += "acbench_samples_per_second{sweep=\"\(sweep)\"} \(samplesPerSecond)\n"
        family("acbench_elapsed_seconds", "gauge", "Seconds since the coordinator started.")
        out += "acbench_elapsed_seconds{sweep=\"\(sweep)\"} \(s.elapsed)\n"
        if let eta = s.eta {
            family("acbench_eta_seconds", "gauge", "Estimated seconds until the sweep finishes.")
            out += "acbench_eta_seconds{sweep=\"\(sweep)\"} \(eta)\n"
        }
        let workers = engine.workers.values.sorted { $0.name < $1.name }
        family("acbench_worker_up", "gauge", "1 while the worker is connected (idle or busy), 0 when lost or leaving.")
        for w in workers {
            let up = w.state == .idle || w.state == .busy
            out += "acbench_worker_up{worker=\"\(label(w.name))\",host=\"\(label(w.capabilities.host))\",state=\"\(w.state.rawValue)\"} \(up ? 1 : 0)\n"
        }
        family("acbench_worker_last_seen_seconds", "gauge", "Seconds since the worker's last message.")
        for w in workers { out += "acbench_worker_last_seen_seconds{worker=\"\(label(w.name))\"} \(max(0, now - w.lastSeen))\n" }
        return out
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func label(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }
}
