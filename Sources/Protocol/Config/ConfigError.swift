/// A problem with a configuration file (`cluster.conf`, `sweeps/*.toml`). Its description names the
/// file, the line when known, the key and what was expected, e.g.
/// `sweeps/acbench.toml:42: key 'models[3].params_b': expected a number, got string "seven"`.
///
/// Key paths use TOML's dotted form; elements of an array of tables are numbered from 0 in the
/// order they appear (`models[0]` is the first `[[models]]`).
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case fileNotFound
        /// The file exists but could not be read (permissions, a folder, not UTF-8).
        case unreadable(reason: String)
        /// TOML syntax error at `line`:`column`, as reported by the parser.
        case syntax(column: Int, message: String)
        /// A key the schema does not know; `allowed` lists the keys of that table.
        case unknownKey(allowed: [String])
        /// The value has the wrong TOML type.
        case wrongType(expected: String, got: String)
        /// A required key is absent; `hint` says why it is required (may be empty).
        case missingKey(hint: String)
        /// The value has the right type but is out of range or not one of the accepted values.
        case invalidValue(expected: String, got: String)
        /// Each value is fine alone but the combination is refused; `reason` explains why and what to do.
        case rejected(reason: String)
        /// A name given twice; `firstLine` is where it was first defined.
        case duplicateName(kind: String, name: String, firstLine: Int?)
    }

    /// The file, as the user named it.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted key path (`models[3].params_b`); empty for whole-file errors.
    public var keyPath: String
    /// What went wrong.
    public var kind: Kind

    /// Creates an error; prefer the static helpers used by the loaders.
    public init(file: String, line: Int?, keyPath: String, kind: Kind) {
        self.file = file; self.line = line; self.keyPath = keyPath; self.kind = kind
    }

    /// `file:line:` (or `file:line:column:` for syntax errors, `file:` without a line).
    private var location: String {
        guard let line else { return "\(file):" }
        if case .syntax(let column, _) = kind { return "\(file):\(line):\(column):" }
        return "\(file):\(line):"
    }

    public var description: String {
        let key = "key '\(keyPath)'"
        switch kind {
        case .fileNotFound:
            return "\(file): file not found"
        case .unreadable(let reason):
            return "\(file): cannot read the file: \(reason)"
        case .syntax(_, let message):
            return "\(location) TOML syntax error: \(message)"
        case .unknownKey(let allowed):
            let table = TOMLSourceMap.parent(of: keyPath)
            let name = keyPath.split(separator: ".").last.map(String.init) ?? keyPath
            let where_ = table.isEmpty ? "at the top level" : table.hasSuffix("]") ? "in \(table)" : "in [\(table)]"
            var text = "\(location) unknown \(key); allowed keys \(where_): \(allowed.joined(separator: ", "))"
            if let guess = ConfigError.closest(to: name, in: allowed) { text += " (did you mean '\(guess)'?)" }
            return text
        case .wrongType(let expected, let got):
            return "\(location) \(key): expected \(expected), got \(got)"
        case .missingKey(let hint):
            return "\(location) \(key) is required but missing" + (hint.isEmpty ? "" : " (\(hint))")
        case .invalidValue(let expected, let got):
            return "\(location) \(key): expected \(expected), got \(got)"
        case .rejected(let reason):
            return "\(location) \(key): \(reason)"
        case .duplicateName(let kind, let name, let firstLine):
            let first = firstLine.map { "first defined at line \($0)" } ?? "defined earlier"
            return "\(location) \(key): duplicate \(kind) name \"\(name)\" (\(first)); names must be unique"
        }
    }

    /// The allowed key within edit distance 2 of `name`, if any (for "did you mean").
    static func closest(to name: String, in allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(Array(name), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
