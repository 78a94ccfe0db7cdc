/// Maps key paths of a TOML document (`models[3].params_b`, `retry.budgets.timeout`) to the line
/// that defines them, so configuration errors can point at a line. TOMLKit keeps no per-key
/// positions, so this scans the raw text: table headers `[a.b]`, array-of-tables headers `[[a]]`
/// (numbered by occurrence, from 0), `key = value` lines and dotted keys. Multi-line strings and
/// arrays are skipped over. Lines are 1-based.
///
/// The scan is lenient: it runs on text TOMLKit has already accepted, and a path it cannot place
/// falls back to its nearest ancestor (`line(for:)`).
public struct TOMLSourceMap: Sendable, Equatable {
    /// Exact key path → the line that defines it (table headers included).
    public private(set) var lines: [String: Int] = [:]

    /// Scans `text`.
    public init(text: String) {
        var scanner = Scanner()
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            scanner.scan(line: Array(raw.unicodeScalars), number: offset + 1)
        }
        lines = scanner.lines
    }

    /// The line of `path`, or of its nearest ancestor that has one (`a[2].b.c` → `a[2].b` → `a[2]` → `a`).
    public func line(for path: String) -> Int? {
        var p = path
        while !p.isEmpty {
            if let l = lines[p] { return l }
            p = TOMLSourceMap.parent(of: p)
        }
        return nil
    }

    /// Only the exact line of `path`, without falling back to an ancestor.
    public func exactLine(for path: String) -> Int? { lines[path] }

    /// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → "".
    static func parent(of path: String) -> String {
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") { return String(path[..<open]) }
        if let dot = path.lastIndex(of: ".") { return String(path[..<dot]) }
        return ""
    }

    /// Joins a key onto a path, quoting nothing: keys are written as TOMLKit reports them.
    static func join(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }
}

/// The line-by-line state machine behind `TOMLSourceMap`.
private struct Scanner {
    var lines: [String: Int] = [:]
    /// Resolved path of the table that bare keys currently belong to.
    var current = ""
    /// Resolved path of an array of tables (`tasks`, `a[1].b`) → elements seen so far.
    var arrayCounts: [String: Int] = [:]
    /// Open `[`/`{` brackets of a value that continues on the next line.
    var depth = 0
    /// Delimiter of a multi-line string that continues on the next line (`"""` or `'''`).
    var openString: String?

    mutating func scan(line: [Unicode.Scalar], number: Int) {
        var i = 0
        if openString != nil || depth > 0 {
            skipValue(line, from: &i)
            return
        }
        skipSpaces(line, &i)
        guard i < line.count, line[i] != "#" else { return }
        if line[i] == "[" {
            let isArray = i + 1 < line.count && line[i + 1] == "["
            i += isArray ? 2 : 1
            let keys = readKey(line, &i)
            header(keys, isArray: isArray, number: number)
            return
        }
        let keys = readKey(line, &i)
        guard !keys.isEmpty else { return }
        var path = current
        for key in keys {
            path = resolve(TOMLSourceMap.join(path, key))
            if lines[path] == nil { lines[path] = number }
        }
        skipSpaces(line, &i)
        if i < line.count, line[i] == "=" { i += 1 }
        skipValue(line, from: &i)
    }

    /// Handles `[a.b]` and `[[a.b]]`: every prefix that names an array of tables gets its
    /// current element's index; an array-of-tables header opens a new element.
    mutating func header(_ keys: [String], isArray: Bool, number: Int) {
        var path = ""
        for (n, key) in keys.enumerated() {
            let plain = TOMLSourceMap.join(path, key)
            if isArray && n == keys.count - 1 {
                let index = arrayCounts[plain, default: 0]
                arrayCounts[plain] = index + 1
                if lines[plain] == nil { lines[plain] = number }
                path = "\(plain)[\(index)]"
            } else {
                path = resolve(plain)
            }
        }
        if lines[path] == nil { lines[path] = number }
        current = path
    }

    /// Appends the current element index when `path` names an array of tables.
    func resolve(_ path: String) -> String {
        guard let count = arrayCounts[path], count > 0 else { return path }
        return "\(path)[\(count - 1)]"
    }

    /// Reads a (possibly dotted, possibly quoted) key up to `=` or `]`.
    func readKey(_ s: [Unicode.Scalar], _ i: inout Int) -> [String] {
        var keys: [String] = []
        while i < s.count {
            skipSpaces(s, &i)
            guard i < s.count else { break }
            let c = s[i]
            if c == "\"" || c == "'" {
                var key = ""
                i += 1
                while i < s.count, s[i] != c {
                    if c == "\"", s[i] == "\\", i + 1 < s.count { i += 1 }
                    key.unicodeScalars.append(s[i]); i += 1
                }
                i += 1
                keys.append(key)
            } else if c == "=" || c == "]" || c == "#" {
                break
            } else if c == "." {
                i += 1
            } else {
                var key = ""
                while i < s.count, !" \t.=]#".unicodeScalars.contains(s[i]) {
                    key.unicodeScalars.append(s[i]); i += 1
                }
                keys.append(key)
            }
        }
        return keys
    }

    func skipSpaces(_ s: [Unicode.Scalar], _ i: inout Int) {
        while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\r" { i += 1 }
    }

    /// Walks over a value, tracking brackets and strings so that continuation lines are recognised.
    mutating func skipValue(_ s: [Unicode.Scalar], from i: inout Int) {
        while i < s.count {
            if let delim = openString {
                let d = Array(delim.unicodeScalars)
                if s[i] == "\\" && delim == "\"\"\"" { i += 2; continue }
                if i + 3 <= s.count && Array(s[i..<i + 3]) == d { openString = nil; i += 3 } else { i += 1 }
                continue
            }
            let c = s[i]
            switch c {
            case "#":
                return
            case "\"", "'":
                if i + 3 <= s.count && s[i + 1] == c && s[i + 2] == c {
                    openString = String(repeating: String(c), count: 3)
                    i += 3
                } else {
                    i += 1
                    while i < s.count, s[i] != c {
                        if c == "\"", s[i] == "\\" { i += 1 }
                        i += 1
                    }
                    i += 1
                }
            case "[", "{":
                depth += 1; i += 1
            case "]", "}":
                depth = max(0, depth - 1); i += 1
            default:
                i += 1
            }
        }
    }
}
