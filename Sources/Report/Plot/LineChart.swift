/// Lines over a numeric x axis (energy per position, correlation against k); points are marked,
/// NaN values break the line.
struct LineChart {
    struct Series { var name: String; var points: [(x: Double, y: Double)]; var dashed = false }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// Fixed y range (e.g. −1…1 for correlations); nil: from the data.
    var yRange: (Double, Double)?
    /// x tick positions (e.g. the k values); nil: round values.
    var xTicks: [Double]? = nil

    var svg: String {
        let left = 64.0, top = 30.0, plotW = 460.0, plotH = 200.0
        let perRow = Legend.perRow(width: plotW)
        let legendRows = (series.count + perRow - 1) / perRow
        let width = Int(left + plotW + 20), height = Int(top + plotH + 44 + 16 * Double(legendRows) + 8)
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let (x0, x1) = SVG.range(xs)
        let (y0, y1) = yRange ?? SVG.range(ys)
        func px(_ x: Double) -> Double { left + plotW * (x - x0) / (x1 - x0) }
        func py(_ y: Double) -> Double { top + plotH * (y1 - y) / (y1 - y0) }
        var out = SVG.open(width: width, height: height, title: title)
        for t in SVG.ticks(y0, y1) {
            out += SVG.line(left, py(t), left + plotW, py(t), stroke: "#e3e3e3")
            out += SVG.text(left - 5, py(t) + 4, SVG.tick(t), anchor: "end")
        }
        for t in xTicks ?? SVG.ticks(x0, x1, count: 8) {
            out += SVG.line(px(t), top + plotH, px(t), top + plotH + 4, stroke: "#444")
            out += SVG.text(px(t), top + plotH + 16, SVG.tick(t))
        }
        out += SVG.line(left, top + plotH, left + plotW, top + plotH, stroke: "#444")
        out += SVG.line(left, top, left, top + plotH, stroke: "#444")
        out += SVG.text(left + plotW / 2, top + plotH + 32, xLabel)
        out += SVG.text(14, top + plotH / 2, yLabel, extra: "transform=\"rotate(-90 14 \(SVG.n(top + plotH / 2)))\"")
        for (i, s) in series.enumerated() {
            var runs: [[(x: Double, y: Double)]] = [[]]
            for p in s.points { if p.y.isFinite { runs[runs.count - 1].append(p) } else if !runs[runs.count - 1].isEmpty { runs.append([]) } }
            for run in runs where !run.isEmpty {
                let d = run.map { "\(SVG.n(px($0.x))),\(SVG.n(py($0.y)))" }.joined(separator: " ")
                out += "<polyline points=\"\(d)\" fill=\"none\" stroke=\"\(SVG.color(i))\" stroke-width=\"1.8\""
                    + (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>"
                if run.count <= 40 {
                    for p in run {
                        out += "<circle cx=\"\(SVG.n(px(p.x)))\" cy=\"\(SVG.n(py(p.y)))\" r=\"2.5\" fill=\"\(SVG.color(i))\">"
                            + "<title>\(SVG.escape("\(s.name): \(SVG.tick(p.x)) → \(Fmt.score(p.y))"))</title></circle>"
                    }
                }
            }
        }
        out += Legend.svg(series.map(\.name), x: left, y: top + plotH + 48, perRow: perRow)
        return out + "</svg>"
    }
}
