/// Reads the fields of one data record, failing with the file, the record (line or key) and the
/// field in the message.
public struct RecordReader {
    public let file: String
    /// `line 12`, `item 3`, `key "abc"`: where the record sits in its file.
    public let location: String
    public let value: JSONValue

    public init(file: String, location: String, value: JSONValue) {
        self.file = file; self.location = location; self.value = value
    }

    /// An error naming this record and `field`.
    public func error(_ field: String, _ expected: String) -> SuiteError {
        let found = value[field].map { "a \($0.typeName)" } ?? "nothing"
        return .badData("\(file): \(location): field '\(field)': expected \(expected), found \(found)")
    }

    public func require(_ field: String) throws -> JSONValue {
        guard case .object = value else {
            throw SuiteError.badData("\(file): \(location): expected a JSON object, found a \(value.typeName)")
        }
        guard let v = value[field] else { throw error(field, "a value") }
        return v
    }

    public func string(_ field: String) throws -> String {
        guard let s = try require(field).stringValue else { throw error(field, "a string") }
        return s
    }

    public func int(_ field: String) throws -> Int {
        guard let i = try require(field).intValue else { throw error(field, "an integer") }
        return i
    }

    /// A list of strings; numbers are accepted as their Python `str()`.
    public func strings(_ field: String) throws -> [String] {
        guard let items = try require(field).arrayValue else { throw error(field, "a list of strings") }
        return try items.map { item in
            switch item {
            case .string(let s): return s
            case .int(let i): return String(i)
            default: throw error(field, "a list of strings")
            }
        }
    }

    /// A list of strings, or nil for JSON null / an absent field.
    public func optionalStrings(_ field: String) throws -> [String]? {
        guard let v = value[field], v != .null else { return nil }
        return try strings(field)
    }
}
