/// Minimal SVG writing: escaped text, numbers with few digits, a shared palette and axis ticks.
enum SVG {
    /// Series colours (colour-blind-friendly, Okabe–Ito order).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// `&`, `<`, `>`, `"` escaped for text and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal.
    static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func open(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "role=\"img\" font-family=\"sans-serif\" font-size=\"11\"><title>\(escape(title))</title>"
            + "<text x=\"\(width / 2)\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "middle", extra: String = "") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra.isEmpty ? "" : " " + extra)>\(escape(s))</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#888", width: Double = 1) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"/>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, tip: String? = nil) -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\">"
            + (tip.map { "<title>\(escape($0))</title>" } ?? "") + "</rect>"
    }

    /// About `count` round tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = pow10(floorLog10(raw))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (lo / step).rounded(.down) * step
        while t <= hi + step * 1e-9 { if t >= lo - step * 1e-9 { out.append(t) }; t += step }
        return out
    }

    static func floorLog10(_ v: Double) -> Int {
        var e = 0, x = v
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 && x > 0 { x *= 10; e -= 1 }
        return e
    }

    static func pow10(_ e: Int) -> Double { e >= 0 ? (0..<e).reduce(1.0) { a, _ in a * 10 } : 1 / pow10(-e) }

    /// A tick label: up to three significant decimals.
    static func tick(_ v: Double) -> String {
        if abs(v) >= 100 || v == v.rounded() { return String(Int(v.rounded())) }
        let s = String((v * 1000).rounded() / 1000)
        return s
    }

    /// The value range of `values` widened to include `include` and padded a little.
    static func range(_ values: [Double], include: [Double] = []) -> (Double, Double) {
        let all = (values + include).filter(\.isFinite)
        guard var lo = all.min(), var hi = all.max() else { return (0, 1) }
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * 0.05
        return (include.contains(lo) ? lo : lo - pad, include.contains(hi) ? hi : hi + pad)
    }
}
