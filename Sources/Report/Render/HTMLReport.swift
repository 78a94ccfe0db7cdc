/// `report.html`: one self-contained page (inline CSS and SVG, no script, no network).
extension StudyResults {
    public var html: String {
        var body = "<h1>ACBench results — \(h(sweep))</h1>\n<p class=\"summary\">\(h(summaryLine))</p>\n"
        body += "<p class=\"legend\">Cells show the headline metric and its change against the same model's "
            + "<code>\(h(baselineMethod ?? "none"))</code> baseline, or the cell's status: "
            + ["done", "running", "failed", "not run", "stale"].map { "<span class=\"st \(cssClass($0))\">\($0)</span>" }.joined(separator: " ")
            + ".</p>\n"
        body += "<h2>Main table</h2>\n" + mainTableHTML
        body += "<h2>Methods</h2>\n" + tableHTML(methodsTable)
        body += capabilitySection
        body += needleSection
        body += "<h2>Per-suite details</h2>\n"
        for t in tasks {
            body += "<h3>\(h(t.name)) <small>(\(h(t.suite)), \(h(t.capability.rawValue)))</small></h3>\n" + tableHTML(detailTable(t))
        }
        body += analysisSection
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>ACBench — \(h(sweep))</title>
        <style>\(Self.css)</style></head>
        <body>
        \(body)
        </body></html>

        """
    }

    static let css = """
    body{font-family:sans-serif;margin:24px;color:#222;background:#fff;max-width:1400px}
    h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px}
    table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
    th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;white-space:nowrap}
    th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
    .st{padding:1px 6px;border-radius:3px}
    .s-done{background:#e3f6ea}.s-running{background:#e3eefb}.s-failed{background:#fbe2e2;color:#8a1010}
    .s-notrun{background:#f1f1f1;color:#666}.s-stale{background:#fff3d6;color:#7a5a00}
    .plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.plots svg{border:1px solid #eee}
    .slot{border:1px dashed #bbb;padding:12px;color:#666;margin:8px 0}
    .summary{color:#444}
    """

    func h(_ s: String) -> String { SVG.escape(s) }

    func cssClass(_ status: String) -> String { "s-" + status.replacingAll(" ", with: "") }

    /// The main table with capability group headers and coloured status cells.
    var mainTableHTML: String {
        var out = "<table class=\"main\"><thead><tr><th rowspan=\"2\">model</th><th rowspan=\"2\">method</th>"
        for c in capabilities {
            out += "<th colspan=\"\(tasks.filter { $0.capability == c }.count)\">\(h(c.rawValue))</th>"
        }
        out += "</tr><tr>" + tasks.map { "<th>\(h($0.name))</th>" }.joined() + "</tr></thead><tbody>\n"
        for m in models {
            for k in methods {
                out += "<tr><td>\(h(m))</td><td>\(h(k))</td>"
                for t in tasks {
                    let c = cell(m, k, t.name)
                    let status = c?.status.label ?? "not run"
                    var tip = c.map { "units \($0.unitIds.map { String($0.prefix(12)) }.joined(separator: ", "))" } ?? ""
                    if case .failed(_, let msg)? = c?.status, let msg { tip = msg + " — " + tip }
                    out += "<td class=\"num \(cssClass(status))\" title=\"\(h(tip))\">\(h(mainText(c)))</td>"
                }
                out += "</tr>\n"
            }
        }
        return out + "</tbody></table>\n"
    }

    func tableHTML(_ t: TextTable) -> String {
        "<table><thead><tr>" + t.header.map { "<th>\(h($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            + t.rows.map { "<tr>" + $0.map { "<td>\(h($0))</td>" }.joined() + "</tr>\n" }.joined() + "</tbody></table>\n"
    }

    /// Bar charts of the mean change per capability, one per model.
    var capabilitySection: String {
        let compressed = methods.filter { $0 != baselineMethod }
        guard baselineMethod != nil, !compressed.isEmpty else { return "" }
        var out = "<h2>Change against the baseline per capability</h2>\n" + tableHTML(capabilityTable) + "<div class=\"plots\">"
        for m in models {
            out += BarChart(title: "\(m): change vs \(baselineMethod!) (%)", yLabel: "relative change (%)", series: compressed,
                            groups: capabilities.map { c in
                                (c.rawValue, compressed.map { capabilityChange(model: m, method: $0, capability: c) })
                            }, format: { Fmt.change($0) }).svg
        }
        return out + "</div>\n"
    }

    /// Needle heatmaps (context length × depth) for every (model, method) of each needle task.
    var needleSection: String {
        let needle = tasks.filter { $0.suite == "needle" }
        guard !needle.isEmpty else { return "" }
        var out = "<h2>Needle in a Haystack</h2>\n"
        for t in needle {
            out += "<h3>\(h(t.name))</h3>\n<div class=\"plots\">"
            for m in models {
                for k in methods {
                    guard let c = cell(m, k, t.name) else { continue }
                    if let grid = NeedleGrid(metrics: c.metrics) {
                        out += Heatmap.svg(grid, title: "\(m) / \(k)\(c.status == .stale ? " (stale)" : ""): \(grid.score)")
                    } else {
                        out += "<div class=\"slot\">\(h(m)) / \(h(k)): <span class=\"st \(cssClass(c.status.label))\">\(h(c.status.text))</span></div>"
                    }
                }
            }
            out += "</div>\n"
        }
        return out
    }
}
