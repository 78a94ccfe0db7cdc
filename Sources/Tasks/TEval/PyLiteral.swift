/// `ast.literal_eval` for the literals model outputs contain: strings (quotes, triple quotes,
/// `r`/`u`/`b` prefixes, escapes, implicit concatenation), ints, floats, `True`/`False`/`None`,
/// unary signs, lists, tuples, sets (as lists) and dicts. Anything else fails, as in Python.
public enum PyLiteral {
    public struct Failure: Error {}

    public static func eval(_ text: String) throws -> PyValue {
        var p = Parser(s: Array(text.unicodeScalars))
        // literal_eval strips leading spaces and tabs before parsing.
        while p.i < p.s.count, p.s[p.i] == " " || p.s[p.i] == "\t" { p.i += 1 }
        if p.i < p.s.count, p.s[p.i] == "\n" || p.s[p.i] == "\r" { throw Failure() }
        let first = try p.expr()
        p.space()
        var value = first
        if p.peek(",") {   // a bare top-level tuple
            var items = [first]
            while p.eat(",") { p.space(); if p.atEnd { break }; items.append(try p.expr()); p.space() }
            value = .tuple(items)
        }
        p.space()
        guard p.atEnd else { throw Failure() }
        return value
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var atEnd: Bool { i >= s.count }

        mutating func space() {
            while i < s.count {
                if s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" || s[i] == "\u{0C}" { i += 1 } else if s[i] == "#" {
                    while i < s.count, s[i] != "\n" { i += 1 }
                } else if s[i] == "\\", i + 1 < s.count, s[i + 1] == "\n" { i += 2 } else { break }
            }
        }
        func peek(_ c: Unicode.Scalar) -> Bool { i < s.count && s[i] == c }
        mutating func eat(_ c: Unicode.Scalar) -> Bool { if peek(c) { i += 1; return true }; return false }

        mutating func expr() throws -> PyValue {
            space()
            guard i < s.count else { throw Failure() }
            let c = s[i]
            if c == "-" || c == "+" {
                i += 1; space()
                let v = try expr()
                switch v {
                case .int(let x): return .int(c == "-" ? -x : x)
                case .float(let x): return .float(c == "-" ? -x : x)
                case .bool(let b): return .int(c == "-" ? -(b ? 1 : 0) : (b ? 1 : 0))
                default: throw Failure()
                }
            }
            if c == "[" { i += 1; return .list(try sequence(close: "]")) }
            if c == "(" {
                i += 1; space()
                if eat(")") { return .tuple([]) }
                let first = try expr(); space()
                if eat(")") { return first }
                guard eat(",") else { throw Failure() }
                var items = [first]
                space()
                if !eat(")") { items += try sequence(close: ")") }
                return .tuple(items)
            }
            if c == "{" { return try braces() }
            if c.properties.numericType == .decimal && c.isASCII || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) { return try number() }
            if let v = try stringLiteral() { return v }
            for (word, value) in [("True", PyValue.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let w = Array(word.unicodeScalars)
                if i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w,
                   i + w.count == s.count || !s[i + w.count].isPythonWord { i += w.count; return value }
            }
            throw Failure()
        }

        mutating func sequence(close: Unicode.Scalar) throws -> [PyValue] {
            var items: [PyValue] = []
            space()
            if eat(close) { return items }
            while true {
                items.append(try expr()); space()
                if eat(close) { return items }
                guard eat(",") else { throw Failure() }
                space()
                if eat(close) { return items }
            }
        }

        mutating func braces() throws -> PyValue {
            i += 1; space()
            if eat("}") { return .dict([]) }
            let firstKey = try expr(); space()
            if !peek(":") {   // a set literal
                var items = [firstKey]
                if eat("}") { return .list(items) }
                guard eat(",") else { throw Failure() }
                items += try sequence(close: "}")
                return .list(items)
            }
            var pairs: [(PyValue, PyValue)] = []
            var key = firstKey
            while true {
                guard eat(":") else { throw Failure() }
                let value = try expr(); space()
                if case .list = key { throw Failure() }   // unhashable
                if case .dict = key { throw Failure() }
                if let k = pairs.firstIndex(where: { $0.0 == key }) { pairs[k].1 = value } else { pairs.append((key, value)) }
                if eat("}") { return .dict(pairs) }
                guard eat(",") else { throw Failure() }
                space()
                if eat("}") { return .dict(pairs) }
                key = try expr(); space()
            }
        }

        mutating func number() throws -> PyValue {
            let start = i
            if s[i] == "0", i + 1 < s.count, s[i + 1] == "x" || s[i + 1] == "X" {
                i += 2
                let h = i
                while i < s.count, s[i].properties.isASCIIHexDigit || s[i] == "_" { i += 1 }
                guard let v = Int(String(String.UnicodeScalarView(s[h..<i])).replacingUnderscores(), radix: 16) else { throw Failure() }
                return .int(v)
            }
            var isFloat = false
            while i < s.count {
                let c = s[i]
                if ("0"..."9").contains(c) || c == "_" { i += 1 } else if c == "." && !isFloat { isFloat = true; i += 1 } else if c == "e" || c == "E" {
                    isFloat = true; i += 1
                    if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
                } else { break }
            }
            if i < s.count, s[i] == "j" || s[i] == "J" || s[i].isPythonWord { throw Failure() }
            let text = String(String.UnicodeScalarView(s[start..<i])).replacingUnderscores()
            if !isFloat {
                if text.count > 1, text.hasPrefix("0"), text.contains(where: { $0 != "0" }) { throw Failure() }
                guard let v = Int(text) else { throw Failure() }
                return .int(v)
            }
            guard let d = Double(text) else { throw Failure() }
            return .float(d)
        }

        /// A string literal (with adjacent literals concatenated), or nil when none starts here.
        mutating func stringLiteral() throws -> PyValue? {
            var out: String? = nil
            while true {
                let save = i
                var raw = false, bytes = false
                while i < s.count, "rRuUbB".unicodeScalars.contains(s[i]), i - save < 2 {
                    if s[i] == "r" || s[i] == "R" { raw = true }
                    if s[i] == "b" || s[i] == "B" { bytes = true }
                    i += 1
                }
                guard i < s.count, s[i] == "'" || s[i] == "\"" else { i = save; break }
                if bytes { throw Failure() }
                let q = s[i]
                let triple = i + 2 < s.count && s[i + 1] == q && s[i + 2] == q
                i += triple ? 3 : 1
                var text = String.UnicodeScalarView()
                while true {
                    guard i < s.count else { throw Failure() }
                    let c = s[i]
                    if c == q && (!triple || (i + 2 < s.count && s[i + 1] == q && s[i + 2] == q)) { i += triple ? 3 : 1; break }
                    if c == "\n" && !triple { throw Failure() }
                    if c == "\\" && i + 1 < s.count {
                        if raw { text.append(c); text.append(s[i + 1]); i += 2; continue }
                        i += 1
                        try escape(&text)
                        continue
                    }
                    text.append(c); i += 1
                }
                out = (out ?? "") + String(text)
                space()
            }
            return out.map { .str($0) }
        }

        mutating func escape(_ text: inout String.UnicodeScalarView) throws {
            let e = s[i]; i += 1
            switch e {
            case "\n": break
            case "\\", "'", "\"": text.append(e)
            case "a": text.append("\u{07}")
            case "b": text.append("\u{08}")
            case "f": text.append("\u{0C}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "v": text.append("\u{0B}")
            case "x", "u", "U":
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                guard i + width <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + width)])), radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw Failure() }
                text.append(scalar); i += width
            case "0"..."7":
                var v = e.value - 48, n = 1
                while n < 3, i < s.count, ("0"..."7").contains(s[i]) { v = v * 8 + s[i].value - 48; i += 1; n += 1 }
                guard let scalar = Unicode.Scalar(v) else { throw Failure() }
                text.append(scalar)
            default: text.append("\\"); text.append(e)
            }
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(unicodeScalars.filter { $0 != "_" }.map(Character.init)) }
}

/// T-Eval's `format_load(raw, start, end)` (spec §2.3).
public enum TEvalFormat {
    public struct Failure: Error {}

    public static func load(_ raw: String, start: String = "", end: String = "") throws -> PyValue {
        var data = raw
        if let at = data.pyFind("```json") {
            data = String(String.UnicodeScalarView(Array(data.unicodeScalars).dropFirst(at + 7))).pyStrip(["`"])
        }
        let scalars = { Array(data.unicodeScalars) }
        if !start.isEmpty {
            let s = scalars()
            let at = data.pyFind(start) ?? (s.count - 1)   // find() == -1 keeps the last character
            data = String(String.UnicodeScalarView(s[max(0, min(at, s.count))...]))
        }
        if !end.isEmpty {
            let s = scalars()
            let at = pyRFind(s, Array(end.unicodeScalars)) ?? -1
            data = String(String.UnicodeScalarView(s[..<max(0, min(s.count, at + 1))]))
        }
        if let v = try? PyLiteral.eval(data) { return v }
        if let v = try? JSONValue.parse(data) { return PyValue(v) }
        if let v = try? JSONValue.parse(String(String.UnicodeScalarView(data.unicodeScalars.map { $0 == "'" ? "\"" : $0 }))) { return PyValue(v) }
        throw Failure()
    }

    private static func pyRFind(_ h: [Unicode.Scalar], _ n: [Unicode.Scalar]) -> Int? {
        guard h.count >= n.count else { return nil }
        for i in stride(from: h.count - n.count, through: 0, by: -1) where h[i..<(i + n.count)].elementsEqual(n) { return i }
        return nil
    }
}
