import Foundation

/// Python `re.search` over ICU: the one semantic gap that matters for subgoal patterns is `.`,
/// which in Python matches everything but `\n` (ICU also stops at `\r`, `\u2028`...), so every
/// `.` outside a character class is rewritten to `[^\n]` (spec §0.2).
enum PythonRegex {
    private static let cache = RegexCache()

    /// Whether `pattern` matches anywhere in `text`; an invalid pattern matches nothing.
    static func search(_ pattern: String, in text: String) -> Bool {
        guard let re = cache.regex(pattern) else { return false }
        return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `pattern` with Python's meaning of `.` spelled out for ICU.
    static func translate(_ pattern: String) -> String {
        var out = "", escaped = false, inClass = false
        for c in pattern {
            if escaped { out.append(c); escaped = false; continue }
            switch c {
            case "\\": escaped = true; out.append(c)
            case "[": inClass = true; out.append(c)
            case "]": inClass = false; out.append(c)
            case "." where !inClass: out += "[^\\n]"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Compiled patterns, shared by all episodes of a worker.
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression?] = [:]

    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock(); defer { lock.unlock() }
        if let hit = compiled[pattern] { return hit }
        let re = try? NSRegularExpression(pattern: PythonRegex.translate(pattern))
        compiled[pattern] = re
        return re
    }
}

/// Python `str` helpers with Python's notion of whitespace.
enum PythonText {
    static func isSpace(_ u: Unicode.Scalar) -> Bool { u.properties.isWhitespace || (0x1C...0x1F).contains(u.value) }
    static func isASCIIAlnum(_ u: Unicode.Scalar) -> Bool { u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u)) }

    /// `s.strip()` (whitespace) or `s.strip(chars)`.
    static func strip(_ s: String, chars: String? = nil) -> String {
        let drop: (Unicode.Scalar) -> Bool = { u in chars.map { $0.unicodeScalars.contains(u) } ?? isSpace(u) }
        var scalars = Substring(s).unicodeScalars[...]
        while let f = scalars.first, drop(f) { scalars.removeFirst() }
        while let l = scalars.last, drop(l) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
