/// The sweep as a compact matrix: rows models, columns methods; a cell counts eval units done /
/// total, with running (▶) and failed (✗) units and the compress unit's state in brackets until
/// it is done. Shared by `acbench status` and the coordinator's
/// HTTP status page.
public enum StatusMatrix {
    struct Cell { var done = 0, total = 0, running = 0, failed = 0; var compress: UnitState? }

    public static func render(_ records: [UnitRecord]) -> String {
        var models: [String] = [], methods: [String] = []
        var cells: [String: Cell] = [:]
        for r in records {
            let m = r.spec.model.name, k = r.spec.method.name
            if !models.contains(m) { models.append(m) }
            if !methods.contains(k) { methods.append(k) }
            var c = cells["\(m)|\(k)"] ?? Cell()
            if r.spec.kind == .compress { c.compress = r.state } else {
                c.total += 1
                switch r.state {
                case .done: c.done += 1
                case .running: c.running += 1
                case .failed: c.failed += 1
                case .pending: break
                }
            }
            cells["\(m)|\(k)"] = c
        }
        let texts = cells.mapValues { c -> String in
            var s = "\(c.done)/\(c.total)"
            if c.running > 0 { s += " \(c.running)▶" }
            if c.failed > 0 { s += " \(c.failed)✗" }
            if let cs = c.compress, cs != .done { s += " [\(cs == .pending ? "compress pending" : cs.rawValue)]" }
            return s
        }
        let w0 = max(5, models.map(\.count).max() ?? 5)
        let widths = methods.map { k in max(k.count, models.map { texts["\($0)|\(k)"]?.count ?? 1 }.max() ?? 1) }
        var out = "model".padding(w0) + "  " + zip(methods, widths).map { $0.padding($1) }.joined(separator: "  ") + "\n"
        for m in models {
            out += m.padding(w0) + "  "
            out += zip(methods, widths).map { k, w in (texts["\(m)|\(k)"] ?? "—").padding(w) }.joined(separator: "  ")
            out += "\n"
        }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }
}
