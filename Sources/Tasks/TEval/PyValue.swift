/// A Python value as `ast.literal_eval` / `json.loads` produce it, with Python's `==` and `repr`.
public indirect enum PyValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list([PyValue])
    case tuple([PyValue])
    case dict([(PyValue, PyValue)])

    /// From a parsed JSON value (`json.loads`).
    public init(_ j: JSONValue) {
        switch j {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .float(d)
        case .string(let s): self = .str(s)
        case .array(let a): self = .list(a.map(PyValue.init))
        case .object(let o):
            var pairs: [(PyValue, PyValue)] = []
            for (k, v) in o {
                if let i = pairs.firstIndex(where: { $0.0 == .str(k) }) { pairs[i].1 = PyValue(v) } else { pairs.append((.str(k), PyValue(v))) }
            }
            self = .dict(pairs)
        }
    }

    /// The numeric value of bool/int/float (Python compares them across types).
    private var number: Double? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    /// Python `==`: `1 == 1.0 == True`, deep equality for containers, dicts regardless of order.
    public static func == (a: PyValue, b: PyValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.int(x), .int(y)): return x == y
        case let (.str(x), .str(y)): return x.pyEquals(y)
        case let (.list(x), .list(y)), let (.tuple(x), .tuple(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 }
        case let (.dict(x), .dict(y)):
            return x.count == y.count && x.allSatisfy { k, v in y.contains { $0.0 == k && $0.1 == v } }
        default:
            if let x = a.number, let y = b.number { return x == y }
            return false
        }
    }

    public static func != (a: PyValue, b: PyValue) -> Bool { !(a == b) }

    /// `d[key]` for a dict (nil when absent or not a dict).
    public subscript(key: String) -> PyValue? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { $0.0 == .str(key) }?.1
    }

    public var isDict: Bool { if case .dict = self { return true }; return false }
    public var dictCount: Int { if case .dict(let p) = self { return p.count }; return 0 }

    /// Python `str(x)`: the string itself, else `repr`.
    public var pyStr: String { if case .str(let s) = self { return s }; return repr }

    /// Python `repr(x)`.
    public var repr: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return Self.floatRepr(d)
        case .str(let s): return Self.strRepr(s)
        case .list(let a): return "[" + a.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let a): return a.count == 1 ? "(" + a[0].repr + ",)" : "(" + a.map(\.repr).joined(separator: ", ") + ")"
        case .dict(let p): return "{" + p.map { $0.0.repr + ": " + $0.1.repr }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(float)`: shortest round-trip digits, exponent form when the exponent is < -4 or ≥ 16.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        // Swift's description is also the shortest round-trip form; only the layout differs.
        let text = "\(d)"
        var mantissa = text, exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e]); exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var point = parts[0].count + exponent   // decimal point position within digits
        while digits.count > 1, digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        if digits == "0" { return negative ? "-0.0" : "0.0" }
        let exp10 = point - 1
        var out: String
        if exp10 < -4 || exp10 >= 16 {
            out = String(digits.first!) + (digits.count > 1 ? "." + digits.dropFirst() : "")
            out += "e" + (exp10 < 0 ? "-" : "+") + (abs(exp10) < 10 ? "0" : "") + String(abs(exp10))
        } else if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count) + ".0"
        } else {
            out = String(digits.prefix(point)) + "." + digits.dropFirst(point)
        }
        return (negative ? "-" : "") + out
    }

    /// `repr(str)`: single quotes unless the text has `'` and no `"`; escapes as CPython.
    static func strRepr(_ s: String) -> String {
        let quote: Unicode.Scalar = s.unicodeScalars.contains("'") && !s.unicodeScalars.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\": out += "\\" + String(c)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7F { out += "\\x" + hex(c.value, 2) } else if c != " " && c.properties.generalCategory.isUnprintable {
                    out += c.value <= 0xFF ? "\\x" + hex(c.value, 2) : (c.value <= 0xFFFF ? "\\u" + hex(c.value, 4) : "\\U" + hex(c.value, 8))
                } else { out.unicodeScalars.append(c) }
            }
        }
        return out + String(quote)
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}

extension Unicode.GeneralCategory {
    /// Categories CPython's `str.isprintable()` rejects (other than the ASCII space).
    var isUnprintable: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return true
        default: return false
        }
    }
}
