import Kernels
import FoundationEssentials

/// A JSON value as Python's `json.loads` returns it: ints and floats kept apart, object keys in
/// file order (Python dicts keep insertion order, which `str(dict)` and iteration depend on).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x.pyEquals(y)
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { k, v in y.contains { $0.0.pyEquals(k) && $0.1 == v } }
        default: return false
        }
    }

    /// The value under `key` of an object (the last one, as Python keeps the last duplicate).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.0.pyEquals(key) }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o }; return nil }
    /// An int, or a float with an integral value.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 1e18: return Int(d)
        default: return nil
        }
    }
    /// A number as float64.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Parses one JSON document (RFC 8259 plus `NaN`/`Infinity`, as Python accepts).
    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(Array(text.utf8))
        return try p.document()
    }

    /// Parses a file's content, naming the file in the error.
    public static func parse(file path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteError.dataMissing("\(path) not found")
        }
        do { return try parse(String(decoding: data, as: UTF8.self)) } catch let e as JSONParseError {
            throw SuiteError.badData("\(path): invalid JSON: \(e)")
        }
    }

    /// Lines of a JSONL file (blank lines skipped) with their 1-based line numbers.
    public static func parseLines(file path: String) throws -> [(line: Int, value: JSONValue)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteError.dataMissing("\(path) not found")
        }
        var out: [(Int, JSONValue)] = []
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            do { out.append((i + 1, try parse(line))) } catch let e as JSONParseError {
                throw SuiteError.badData("\(path):\(i + 1): invalid JSON: \(e)")
            }
        }
        return out
    }
}

/// Where and why a JSON text failed to parse.
public struct JSONParseError: Error, CustomStringConvertible {
    public var offset: Int, message: String
    public var description: String { "\(message) at byte \(offset)" }
}

private struct JSONParser {
    let b: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { b = bytes }

    func fail(_ m: String) -> JSONParseError { JSONParseError(offset: i, message: m) }

    mutating func document() throws -> JSONValue {
        let v = try value()
        skipSpace()
        guard i == b.count else { throw fail("extra data after the value") }
        return v
    }

    mutating func skipSpace() { while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 } }

    mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { throw fail("unexpected character") }
        i += w.count
        return v
    }

    mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < b.count else { throw fail("unexpected end of text") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
        default: return try number()
        }
    }

    mutating func object() throws -> JSONValue {
        i += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let k = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            pairs.append((k, try value()))
            skipSpace()
            guard i < b.count else { throw fail("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array() throws -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value())
            skipSpace()
            guard i < b.count else { throw fail("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        i += 1
        var out = String.UnicodeScalarView(), run: [UInt8] = []
        func flush() { out.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run = [] }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; flush(); return String(out) }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { run.append(c); i += 1; continue }
            flush()
            i += 1
            guard i < b.count else { break }
            let e = b[i]; i += 1
            switch e {
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "/"): out.append("/")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "u"):
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v), i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) } else { i = save }
                }
                // Lone surrogates cannot live in a Swift string; Python keeps them. Use U+FFFD.
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }

    mutating func number() throws -> JSONValue {
        let start = i
        var isFloat = false
        if i < b.count, b[i] == UInt8(ascii: "-") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "I") { _ = try literal("Infinity", .null); return .double(-.infinity) }
        }
        while i < b.count {
            let c = b[i]
            if (0x30...0x39).contains(c) { i += 1 } else if [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(c) {
                isFloat = true; i += 1
            } else { break }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw fail("unexpected character") }
        if !isFloat, let v = Int(text) { return .int(v) }
        guard let d = Double(text) else { throw fail("bad number \(text)") }
        return .double(d)
    }
}

extension JSONValue {
    /// Compact JSON text (`ensure_ascii=False` style; keys in order).
    public var serialized: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .string(let s): return Self.quote(s)
        case .array(let a): return "[" + a.map(\.serialized).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.map { Self.quote($0.0) + ": " + $0.1.serialized }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ s: String) -> String { JSON.quoted(s) }
}
