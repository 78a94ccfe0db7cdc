#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Character classes and numeric helpers with CPython's semantics (`re` with str patterns,
// `str.isalnum`, `int()`, `round`), on Unicode scalars as CPython sees them.

extension Unicode.Scalar {
    /// `re`'s `\d` and `str.isdecimal()`: general category Nd.
    var isPythonDecimal: Bool { properties.generalCategory == .decimalNumber }

    /// `str.isalnum()`: a letter (Lu, Ll, Lt, Lm, Lo) or a character with a numeric type.
    var isPythonAlnum: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }

    /// `re`'s `\w` for str patterns: alphanumeric or `_`.
    var isPythonWord: Bool { self == "_" || isPythonAlnum }
}

/// Python's `string.punctuation`.
let pythonASCIIPunctuation: Set<Unicode.Scalar> = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

enum PyNum {
    /// `int()` of a run of `\d` characters (any Unicode decimal digits); nil on overflow.
    static func int<S: Sequence>(_ digits: S) -> Int? where S.Element == Unicode.Scalar {
        var value = 0
        for d in digits {
            guard let v = d.properties.numericValue, d.isPythonDecimal else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(v))
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }

    /// Python `round(x, digits)` (digits ≥ 0): correctly rounded from the binary value, ties to
    /// even, as CPython's `_Py_dg_dtoa` mode 3 does (glibc's `%.*f` rounds the same way).
    static func round(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        var buffer = [CChar](repeating: 0, count: 400)
        let n = withVaList([Int32(digits), x]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        guard n > 0, n < buffer.count else { return x }
        let text = String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Double(text) ?? x
    }

    /// `"%.{digits}f" % x`.
    static func format(_ x: Double, digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 400)
        let n = withVaList([Int32(digits), x]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        return String(decoding: buffer.prefix(max(0, Int(n))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    /// `re.findall(r"\d+", s)`: maximal runs of Unicode decimal digits, as scalar arrays.
    func pyDigitRuns() -> [[Unicode.Scalar]] {
        var runs: [[Unicode.Scalar]] = [], current: [Unicode.Scalar] = []
        for s in unicodeScalars {
            if s.isPythonDecimal { current.append(s) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// `s.split(sep)` with a non-empty separator: every piece kept, compared by code points.
    func pySplit(separator: String) -> [String] {
        let s = Array(unicodeScalars), sep = Array(separator.unicodeScalars)
        precondition(!sep.isEmpty)
        var pieces: [String] = [], start = 0, i = 0
        while i + sep.count <= s.count {
            if s[i..<(i + sep.count)].elementsEqual(sep) {
                pieces.append(String(String.UnicodeScalarView(s[start..<i])))
                i += sep.count; start = i
            } else { i += 1 }
        }
        pieces.append(String(String.UnicodeScalarView(s[start...])))
        return pieces
    }

    /// `s.lstrip(chars)` for a set of characters.
    func pyLStrip(_ chars: Set<Unicode.Scalar>) -> String {
        let v = unicodeScalars
        guard let first = v.firstIndex(where: { !chars.contains($0) }) else { return "" }
        return String(v[first...])
    }

    /// `s.strip(chars)` for a set of characters.
    func pyStrip(_ chars: Set<Unicode.Scalar>) -> String {
        let v = unicodeScalars
        guard let first = v.firstIndex(where: { !chars.contains($0) }),
              let last = v.lastIndex(where: { !chars.contains($0) }) else { return "" }
        return String(v[first...last])
    }

    /// `needle in self` by code points (Swift's `contains` compares canonically equivalent text).
    func pyContains(_ needle: String) -> Bool { pyFind(needle) != nil }

    /// `self.find(needle)` as a code-point offset, nil for -1.
    func pyFind(_ needle: String, from start: Int = 0) -> Int? {
        let h = Array(unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return start <= h.count ? start : nil }
        guard h.count >= n.count, start <= h.count - n.count else { return nil }
        for i in start...(h.count - n.count) where h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) { return i }
        return nil
    }

    /// Python `==` on str: equal code points (not canonical equivalence).
    func pyEquals(_ other: String) -> Bool { unicodeScalars.elementsEqual(other.unicodeScalars) }

    /// Length in code points, as `len(str)`.
    var pyCount: Int { unicodeScalars.count }
}
