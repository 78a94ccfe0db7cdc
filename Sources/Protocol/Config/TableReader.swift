import TOMLKit

/// Typed, validated access to one TOML table of a `ConfigDocument`. Every getter returns `nil`
/// for an absent key and throws a located `ConfigError` for a value of the wrong type or range.
struct TableReader {
    let doc: ConfigDocument
    let table: TOMLTable
    /// Key path of this table (`""` for the root, `models[3]`, `retry.budgets`).
    let path: String

    /// Key path of `key` in this table.
    func keyPath(_ key: String) -> String { TOMLSourceMap.join(path, key) }

    /// The raw value of `key`.
    func value(_ key: String) -> TOMLValueConvertible? { table[key] }

    /// Whether `key` is present.
    func has(_ key: String) -> Bool { table[key] != nil }

    /// Throws for the first key (in file order) that is not in `allowed`.
    func checkKeys(_ allowed: [String]) throws {
        let unknown = table.keys.filter { !allowed.contains($0) }
        let first = unknown.min { (doc.map.line(for: keyPath($0)) ?? .max) < (doc.map.line(for: keyPath($1)) ?? .max) }
        if let first { throw doc.error(keyPath(first), .unknownKey(allowed: allowed.sorted())) }
    }

    /// An `invalidValue` error for `key`.
    func invalid(_ key: String, expected: String, got: String) -> ConfigError {
        doc.error(keyPath(key), .invalidValue(expected: expected, got: got))
    }

    /// A `missingKey` error for `key` (located at this table's header).
    func missing(_ key: String, hint: String = "") -> ConfigError {
        ConfigError(file: doc.file, line: doc.map.line(for: path), keyPath: keyPath(key), kind: .missingKey(hint: hint))
    }

    /// Unwraps a getter's result, throwing `missingKey` when absent.
    func required<T>(_ key: String, hint: String = "", _ get: (String) throws -> T?) throws -> T {
        guard let v = try get(key) else { throw missing(key, hint: hint) }
        return v
    }

    // MARK: Scalars

    func string(_ key: String) throws -> String? {
        try typed(key, "a string") { $0.string }
    }

    func bool(_ key: String) throws -> Bool? {
        try typed(key, "a boolean (true or false)") { $0.bool }
    }

    /// An integer within `range`.
    func int(_ key: String, _ range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let v = try typed(key, "an integer", { $0.int }) else { return nil }
        guard range.contains(v) else { throw invalid(key, expected: "an integer \(TableReader.describe(range))", got: String(v)) }
        return v
    }

    /// A finite number (integers accepted) of at least `min` (or more than `min` when `exclusive`).
    func double(_ key: String, min: Double = -.infinity, exclusive: Bool = false, max: Double = .infinity) throws -> Double? {
        guard let v = try typed(key, "a number", { $0.int.map(Double.init) ?? $0.double }) else { return nil }
        let low = exclusive ? v > min : v >= min
        guard v.isFinite, low, v <= max else {
            var bounds: [String] = []
            if min > -.infinity { bounds.append(exclusive ? "> \(TableReader.format(min))" : ">= \(TableReader.format(min))") }
            if max < .infinity { bounds.append("<= \(TableReader.format(max))") }
            let expected = "a finite number" + (bounds.isEmpty ? "" : " " + bounds.joined(separator: " and "))
            throw invalid(key, expected: expected, got: TableReader.format(v))
        }
        return v
    }

    /// A string that must be one of `allowed`.
    func oneOf(_ key: String, _ allowed: Set<String>) throws -> String? {
        guard let v = try string(key) else { return nil }
        guard allowed.contains(v) else {
            throw invalid(key, expected: "one of " + allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", "), got: "\"\(v)\"")
        }
        return v
    }

    /// A name used in file names and tables: `^[A-Za-z0-9][A-Za-z0-9._-]*$`.
    func name(_ key: String) throws -> String? {
        guard let v = try string(key) else { return nil }
        guard TableReader.isValidName(v) else {
            throw invalid(key, expected: "a name made of letters, digits, '.', '_' and '-', starting with a letter or digit",
                          got: "\"\(v)\"")
        }
        return v
    }

    /// Whether `s` matches `^[A-Za-z0-9][A-Za-z0-9._-]*$`.
    static func isValidName(_ s: String) -> Bool {
        func alnum(_ c: Unicode.Scalar) -> Bool { c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)) }
        guard let first = s.unicodeScalars.first, alnum(first) else { return false }
        return s.unicodeScalars.allSatisfy { alnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    // MARK: Compound values

    /// An array whose every element is a string.
    func stringArray(_ key: String) throws -> [String]? {
        try array(key, "an array of strings", "a string") { $0.string }
    }

    /// An array whose every element is an integer within `range`.
    func intArray(_ key: String, _ range: ClosedRange<Int> = Int.min...Int.max) throws -> [Int]? {
        guard let values = try array(key, "an array of integers", "an integer", { $0.int }) else { return nil }
        for (i, v) in values.enumerated() where !range.contains(v) {
            throw doc.error("\(keyPath(key))[\(i)]", .invalidValue(expected: "an integer \(TableReader.describe(range))", got: String(v)))
        }
        return values
    }

    /// A sub-table (`[a.b]` or an inline table).
    func table(_ key: String) throws -> TableReader? {
        guard let t = try typed(key, "a table ([\(keyPath(key))])", { $0.table }) else { return nil }
        return TableReader(doc: doc, table: t, path: keyPath(key))
    }

    /// An array of tables (`[[key]]`), each element with path `key[i]`.
    func tables(_ key: String) throws -> [TableReader]? {
        guard let v = value(key) else { return nil }
        let expected = "an array of tables ([[\(keyPath(key))]])"
        guard let items = v.array else { throw doc.error(keyPath(key), .wrongType(expected: expected, got: TableReader.describe(v))) }
        return try items.enumerated().map { i, item in
            let p = "\(keyPath(key))[\(i)]"
            guard let t = item.table else { throw doc.error(p, .wrongType(expected: "a table", got: TableReader.describe(item))) }
            return TableReader(doc: doc, table: t, path: p)
        }
    }

    /// A table whose every value is a string (environment variables, worker keys), in key order.
    func stringTable(_ key: String) throws -> [(key: String, value: String)]? {
        guard let t = try table(key) else { return nil }
        return try t.table.keys.sorted().map { k in
            guard let s = try t.string(k) else { throw t.missing(k) }
            return (k, s)
        }
    }

    /// A table of scalar parameters (`[methods.params]`): strings, integers, numbers, booleans.
    func params(_ key: String) throws -> [String: ParamValue] {
        guard let t = try table(key) else { return [:] }
        var out: [String: ParamValue] = [:]
        for k in t.table.keys {
            guard let v = t.value(k) else { continue }
            if let s = v.string { out[k] = .string(s) }
            else if let b = v.bool { out[k] = .bool(b) }
            else if let i = v.int { out[k] = .int(i) }
            else if let d = v.double, d.isFinite { out[k] = .double(d) }
            else {
                let hint = v.type == .array ? "; write a list as a comma-separated string, e.g. \"256,512,1024\"" : ""
                throw doc.error(t.keyPath(k), .wrongType(expected: "a string, integer, number or boolean\(hint)",
                                                         got: TableReader.describe(v)))
            }
        }
        return out
    }

    // MARK: Helpers

    private func typed<T>(_ key: String, _ expected: String, _ get: (TOMLValueConvertible) -> T?) throws -> T? {
        guard let v = value(key) else { return nil }
        guard let t = get(v) else { throw doc.error(keyPath(key), .wrongType(expected: expected, got: TableReader.describe(v))) }
        return t
    }

    private func array<T>(_ key: String, _ expected: String, _ element: String,
                          _ get: (TOMLValueConvertible) -> T?) throws -> [T]? {
        guard let v = value(key) else { return nil }
        guard let items = v.array else { throw doc.error(keyPath(key), .wrongType(expected: expected, got: TableReader.describe(v))) }
        return try items.enumerated().map { i, item in
            guard let t = get(item) else {
                throw doc.error("\(keyPath(key))[\(i)]", .wrongType(expected: element, got: TableReader.describe(item)))
            }
            return t
        }
    }

    /// `string "seven"`, `integer 7`, `number 7.5`, `boolean true`, `array [1, 2]`, `table`.
    static func describe(_ v: TOMLValueConvertible) -> String {
        if let s = v.string { return "string \"\(s)\"" }
        if let i = v.int { return "integer \(i)" }
        if let d = v.double { return "number \(format(d))" }
        if let b = v.bool { return "boolean \(b)" }
        if let a = v.array {
            let items = a.prefix(4).map { describeBare($0) }.joined(separator: ", ")
            return "array [\(items)\(a.count > 4 ? ", ..." : "")]"
        }
        if v.table != nil { return v.table?.inline == true ? "inline table" : "table" }
        return v.type.description
    }

    private static func describeBare(_ v: TOMLValueConvertible) -> String {
        if let s = v.string { return "\"\(s)\"" }
        if let i = v.int { return String(i) }
        if let d = v.double { return format(d) }
        if let b = v.bool { return String(b) }
        return v.type.description
    }

    /// `7` for whole numbers, otherwise Swift's shortest form.
    static func format(_ d: Double) -> String {
        d.isFinite && d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): return ""
        case (let lo, Int.max): return ">= \(lo)"
        case (Int.min, let hi): return "<= \(hi)"
        case (let lo, let hi): return "from \(lo) to \(hi)"
        }
    }
}
