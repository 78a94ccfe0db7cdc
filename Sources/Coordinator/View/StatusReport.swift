import Protocol

/// `acbench status`: the sweep's state read from the database (read-only, safe while a sweep runs).
public struct StatusReport {
    public let store: StateStore
    public let sweep: String
    /// `paths.artifacts_shared` of cluster.conf, shown with the artifact list (nil: not known).
    public var artifactsShared: Bool?

    public init(store: StateStore, sweep: String?, artifactsShared: Bool? = nil) throws {
        self.store = store
        self.artifactsShared = artifactsShared
        guard let name = try sweep ?? store.sweeps().first else {
            throw SQLiteError(path: store.db.path, message: "no sweep has been planned in this database yet")
        }
        self.sweep = name
    }

    public func render(now: Double = wallClock()) throws -> String {
        let records = try store.sweepRecords(sweep: sweep)
        guard !records.isEmpty else { return "sweep '\(sweep)': no units stored\n" }
        var counts: [UnitState: Int] = [:]
        for r in records { counts[r.state, default: 0] += 1 }
        let samples = records.reduce(0) { $0 + $1.stored }
        var out = "sweep '\(sweep)': \(records.count) units — "
        out += UnitState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        out += "; \(samples) samples stored\n\n"
        out += StatusMatrix.render(records)
        let running = records.filter { $0.state == .running }
        if !running.isEmpty {
            out += "\nrunning:\n"
            for r in running {
                let n = r.sampleTotal.map { "\(r.stored)/\($0)" } ?? "\(r.stored)"
                out += "  \(r.spec.slot)  on \(r.worker ?? "?")  epoch \(r.epoch)  \(n) samples\n"
            }
        }
        let failed = records.filter { $0.state == .failed || ($0.state == .pending && $0.failureClass != nil) }
        if !failed.isEmpty {
            out += "\nfailures:\n"
            for r in failed {
                out += "  \(r.spec.slot)  \(r.state == .failed ? "FAILED" : "retrying")  \(r.failureClass?.rawValue ?? "")  \(r.failureMessage ?? "")\n"
            }
        }
        out += try artifacts(records)
        out += try workers(now: now)
        return out
    }

    /// Where each compressed artifact lives (host and path): without shared storage its eval
    /// units run on that host only.
    func artifacts(_ records: [UnitRecord]) throws -> String {
        let stored = try store.artifacts(sweep: sweep)
        let compress = records.filter { $0.spec.kind == .compress }
        guard !compress.isEmpty else { return "" }
        let storage = artifactsShared.map { $0 ? "shared storage" : "local to each host" } ?? "storage unknown"
        var out = "\nartifacts (\(storage)):\n"
        let w = max(12, compress.map { $0.spec.model.name.count + $0.spec.method.name.count + 1 }.max() ?? 12)
        for r in compress {
            let label = "\(r.spec.model.name)/\(r.spec.method.name)".padding(w)
            if let a = stored[r.spec.id] {
                out += "  \(label)  on \(a.host.padding(16)) \(a.path)  (\(a.bytes) bytes)\n"
            } else {
                out += "  \(label)  not made yet (compress unit \(r.state.rawValue))\n"
            }
        }
        return out
    }

    func workers(now: Double) throws -> String {
        let rows = try store.db.rows("SELECT name, host, state, unit_id, last_seen FROM workers ORDER BY name") {
            ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3), $0.double(4))
        }
        guard !rows.isEmpty else { return "" }
        var out = "\nworkers:\n"
        for (name, host, state, unit, seen) in rows {
            out += "  \(name.padding(16)) \(host.padding(16)) \(state.padding(8)) last seen \(ProgressView.duration(now - seen)) ago"
            out += unit.map { "  unit \($0.prefix(12))" } ?? ""
            out += "\n"
        }
        return out
    }
}
