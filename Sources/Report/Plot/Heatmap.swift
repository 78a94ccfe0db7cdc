/// The Needle-in-a-Haystack heatmap: context length (rows) × depth (columns), the score in each cell
/// coloured from red (0) through yellow to green (1), as the original benchmark plots it.
enum Heatmap {
    static func svg(_ grid: NeedleGrid, title: String) -> String {
        let cellW = 44.0, cellH = 26.0, left = 70.0, top = 30.0
        let width = max(Int(left + cellW * Double(grid.depths.count) + 20), 8 * title.count + 20)
        let height = Int(top + cellH * Double(grid.lengths.count) + 46)
        var out = SVG.open(width: width, height: height, title: title)
        for (i, l) in grid.lengths.enumerated() {
            let y = top + cellH * Double(i)
            out += SVG.text(left - 6, y + cellH / 2 + 4, String(l), anchor: "end")
            for (j, d) in grid.depths.enumerated() {
                let x = left + cellW * Double(j)
                guard let v = grid.value(length: l, depth: d) else {
                    out += SVG.rect(x, y, cellW - 1, cellH - 1, fill: "#eeeeee", tip: "\(l) tokens, depth \(d)%: not scored")
                    out += SVG.text(x + cellW / 2, y + cellH / 2 + 4, "—")
                    continue
                }
                out += SVG.rect(x, y, cellW - 1, cellH - 1, fill: color(v), tip: "\(l) tokens, depth \(d)%: \(Fmt.score(v))")
                out += SVG.text(x + cellW / 2, y + cellH / 2 + 4, "\(Int((v * 100).rounded()))")
            }
        }
        let bottom = top + cellH * Double(grid.lengths.count)
        for (j, d) in grid.depths.enumerated() {
            out += SVG.text(left + cellW * (Double(j) + 0.5), bottom + 14, d)
        }
        out += SVG.text(left + cellW * Double(grid.depths.count) / 2, bottom + 32, "needle depth (%)")
        out += SVG.text(14, top + cellH * Double(grid.lengths.count) / 2, "context tokens",
                        extra: "transform=\"rotate(-90 14 \(SVG.n(top + cellH * Double(grid.lengths.count) / 2)))\"")
        return out + "</svg>"
    }

    /// Red → yellow → green for 0 → 0.5 → 1 (clamped).
    static func color(_ v: Double) -> String {
        let stops: [(Double, (Double, Double, Double))] = [(0, (240, 73, 110)), (0.5, (235, 184, 57)), (1, (12, 215, 159))]
        let t = max(0, min(1, v.isFinite ? v : 0))
        let (a, b) = t <= 0.5 ? (stops[0], stops[1]) : (stops[1], stops[2])
        let f = (t - a.0) / (b.0 - a.0)
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        let rgb = [mix(a.1.0, b.1.0), mix(a.1.1, b.1.1), mix(a.1.2, b.1.2)]
        return "#" + rgb.map { c in let h = String(c, radix: 16); return h.count == 1 ? "0" + h : h }.joined()
    }
}
