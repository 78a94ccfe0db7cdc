// Python `str` semantics that reference scorers depend on (lower, split, strip), working on
// Unicode scalars (code points) as CPython does, never on grapheme clusters.

extension Unicode.Scalar {
    /// CPython's `str.isspace()`: bidirectional class WS/B/S or general category Zs.
    var isPythonSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Python `str.lower()`: full per-code-point lowercase mapping plus the Final_Sigma rule.
    func pyLowercased() -> String {
        let scalars = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if s.value == 0x03A3 {
                out.append(Self.isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// CPython's `handle_capital_sigma`: cased, case-ignorables, Σ, and no cased letter after.
    private static func isFinalSigma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count, s[k].properties.isCaseIgnorable { k += 1 }
        return k == s.count || !s[k].properties.isCased
    }

    /// Python `str.split()` without argument: runs of whitespace separate, empty pieces dropped.
    func pySplit() -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        for s in unicodeScalars {
            if s.isPythonSpace {
                if !current.isEmpty { pieces.append(String(current)); current = .init() }
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { pieces.append(String(current)) }
        return pieces
    }

    /// Python `str.strip()` without argument.
    func pyStripped() -> String {
        let v = unicodeScalars
        guard let first = v.firstIndex(where: { !$0.isPythonSpace }),
              let last = v.lastIndex(where: { !$0.isPythonSpace }) else { return "" }
        return String(v[first...last])
    }
}
