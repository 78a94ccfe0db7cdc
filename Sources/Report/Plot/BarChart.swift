/// Grouped vertical bars (groups along x, one bar per series), with a zero line; a missing value is
/// drawn as an `n/a` mark, never left out silently.
struct BarChart {
    var title: String
    var yLabel: String
    var series: [String]
    /// (group label, one value per series; nil = no value)
    var groups: [(label: String, values: [Double?])]
    /// Format of the value printed above each bar.
    var format: (Double) -> String = Fmt.score

    var svg: String {
        let barW = 18.0, gap = 22.0, left = 64.0, top = 30.0, plotH = 200.0
        let groupW = max(barW * Double(max(1, series.count)) + gap, 96)
        let width = Int(max(320, left + groupW * Double(groups.count) + 20))
        let perRow = Legend.perRow(width: Double(width) - left)
        let legendRows = (series.count + perRow - 1) / perRow
        let height = Int(top + plotH + 40 + 16 * Double(legendRows) + 8)
        let values = groups.flatMap { $0.values.compactMap { $0 } }
        let (lo, hi) = SVG.range(values, include: [0])
        func y(_ v: Double) -> Double { top + plotH * (hi - v) / (hi - lo) }
        var out = SVG.open(width: width, height: height, title: title)
        for t in SVG.ticks(lo, hi) {
            out += SVG.line(left, y(t), Double(width) - 10, y(t), stroke: "#e3e3e3")
            out += SVG.text(left - 5, y(t) + 4, SVG.tick(t), anchor: "end")
        }
        out += SVG.line(left, y(0), Double(width) - 10, y(0), stroke: "#444")
        out += SVG.text(14, top + plotH / 2, yLabel, extra: "transform=\"rotate(-90 14 \(SVG.n(top + plotH / 2)))\"")
        for (g, group) in groups.enumerated() {
            let x0 = left + groupW * Double(g) + (groupW - barW * Double(group.values.count)) / 2
            for (s, v) in group.values.enumerated() {
                let x = x0 + barW * Double(s)
                guard let v, v.isFinite else {
                    out += SVG.text(x + barW / 2, y(0) - 4, "n/a", extra: "font-size=\"9\" fill=\"#999\"")
                    continue
                }
                out += SVG.rect(x, min(y(v), y(0)), barW - 2, abs(y(v) - y(0)), fill: SVG.color(s),
                                tip: "\(group.label), \(series[s]): \(format(v))")
                out += SVG.text(x + barW / 2, v >= 0 ? y(v) - 3 : y(v) + 11, format(v), extra: "font-size=\"8\"")
            }
            out += SVG.text(left + groupW * (Double(g) + 0.5), top + plotH + 16, group.label)
        }
        out += Legend.svg(series, x: left, y: top + plotH + 32, perRow: perRow)
        return out + "</svg>"
    }
}

/// A legend of coloured swatches, `perRow` to a row.
enum Legend {
    static let spacing = 140.0

    /// Entries that fit in `width`.
    static func perRow(width: Double) -> Int { max(1, Int(width / spacing)) }

    static func svg(_ names: [String], x: Double, y: Double, perRow: Int) -> String {
        var out = ""
        for (i, name) in names.enumerated() {
            let lx = x + Double(i % perRow) * spacing, ly = y + Double(i / perRow) * 16
            out += SVG.rect(lx, ly - 9, 12, 10, fill: SVG.color(i))
            out += SVG.text(lx + 16, ly, name, anchor: "start")
        }
        return out
    }
}
