/// The analysis part of `report.html`: ERank per method, correlation against k, energy per position,
/// drawn from the `analysis` table — or a slot saying it has no rows yet.
extension StudyResults {
    var analysisSection: String {
        var out = "<h2>Analysis: ERank, top-k ranking correlation, energy</h2>\n"
        guard !analysis.isEmpty, let table = analysisTable else {
            return out + "<div class=\"slot\">No rows in the <code>analysis</code> table yet. ERank per method, "
                + "Kendall/Spearman correlation against k and energy per position render here once the sweep's "
                + "analysis units have stored their values.</div>\n"
        }
        let s = AnalysisSummary(rows: analysis)
        out += tableHTML(table) + "<div class=\"plots\">"
        let analysisModels = models.filter { m in s.pairs.contains { $0.model == m } }
        let analysisMethods = methods.filter { k in s.pairs.contains { $0.method == k } }
        if s.pairs.contains(where: { s.erank($0) != nil }) {
            out += BarChart(title: "ERank of the logits per method", yLabel: "ERank", series: analysisModels,
                            groups: analysisMethods.map { k in
                                (k, analysisModels.map { s.erank(.init(model: $0, method: k)) })
                            }).svg
        }
        for m in analysisModels where !s.ks.isEmpty {
            var series: [LineChart.Series] = []
            for k in analysisMethods where k != baselineMethod {
                for metric in ["kendall", "spearman"] {
                    let pts = s.ks.compactMap { kk in s.meanCorrelation(.init(model: m, method: k), metric, k: kk).map { (Double(kk), $0) } }
                    if !pts.isEmpty { series.append(.init(name: "\(k) \(metric)", points: pts, dashed: metric == "spearman")) }
                }
            }
            if !series.isEmpty {
                out += LineChart(title: "\(m): top-k correlation vs \(baselineMethod ?? "base")", xLabel: "k",
                                 yLabel: "mean correlation", series: series, yRange: nil,
                                 xTicks: s.ks.map(Double.init)).svg
            }
        }
        for m in analysisModels {
            let series = analysisMethods.compactMap { k -> LineChart.Series? in
                let pts = s.energy(.init(model: m, method: k)).map { (Double($0.position), $0.value) }
                return pts.isEmpty ? nil : .init(name: k, points: pts)
            }
            if !series.isEmpty {
                out += LineChart(title: "\(m): energy per position (T = 1)", xLabel: "token position", yLabel: "energy",
                                 series: series, yRange: nil).svg
            }
        }
        return out + "</div>\n"
    }
}
