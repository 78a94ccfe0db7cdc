/// A small backtracking engine with Python `re` semantics for patterns built at run time from
/// data (T-Eval's unescaped templates): literals, `.`, classes, `\d\w\s\b` and their negations,
/// groups (capturing and `(?:`), `|`, greedy and lazy `* + ? {m,n}`, `^ $`; `dotAll` is `re.S`.
public struct PyRegex {
    public struct SyntaxError: Error, CustomStringConvertible {
        public var description: String
    }

    private indirect enum Node {
        case char(Unicode.Scalar), any, set([(Unicode.Scalar, Unicode.Scalar)], [(Unicode.Scalar) -> Bool], negated: Bool)
        case seq([Node]), alt([Node]), group(Int?, Node), repeatNode(Node, min: Int, max: Int, lazy: Bool)
        case start, end, wordBoundary(Bool)
    }

    private let root: Node
    public let groupCount: Int
    private let dotAll: Bool

    public init(_ pattern: String, dotAll: Bool = false) throws {
        var p = PatternParser(s: Array(pattern.unicodeScalars))
        root = try p.alternation()
        guard p.i == p.s.count else { throw SyntaxError(description: "unbalanced parenthesis") }
        groupCount = p.groups
        self.dotAll = dotAll
    }

    /// `re.findall`: the match strings (no group), the group (one), or all groups (several);
    /// unmatched groups give "".
    public func findAll(_ text: String) -> [[String]] {
        let s = Array(text.unicodeScalars)
        var out: [[String]] = [], pos = 0
        while pos <= s.count {
            var caps = Array(repeating: (-1, -1), count: groupCount + 1)
            var endPos = -1
            if match(root, s, pos, &caps, { e, _ in endPos = e; return true }) {
                let str = { (r: (Int, Int)) in r.0 < 0 ? "" : String(String.UnicodeScalarView(s[r.0..<r.1])) }
                out.append(groupCount == 0 ? [str((pos, endPos))] : (1...groupCount).map { str(caps[$0]) })
                pos = endPos > pos ? endPos : pos + 1
            } else { pos += 1 }
        }
        return out
    }

    private typealias Caps = [(Int, Int)]

    private func match(_ n: Node, _ s: [Unicode.Scalar], _ i: Int, _ caps: inout Caps, _ k: (Int, inout Caps) -> Bool) -> Bool {
        switch n {
        case .char(let c): return i < s.count && s[i] == c && k(i + 1, &caps)
        case .any: return i < s.count && (dotAll || s[i] != "\n") && k(i + 1, &caps)
        case let .set(ranges, preds, negated):
            guard i < s.count else { return false }
            let c = s[i]
            let inSet = ranges.contains { $0.0 <= c && c <= $0.1 } || preds.contains { $0(c) }
            return inSet != negated && k(i + 1, &caps)
        case .start: return i == 0 && k(i, &caps)
        case .end: return (i == s.count || (i == s.count - 1 && s[i] == "\n")) && k(i, &caps)
        case .wordBoundary(let want):
            let a = i > 0 && s[i - 1].isPythonWord, b = i < s.count && s[i].isPythonWord
            return (a != b) == want && k(i, &caps)
        case .seq(let nodes): return seq(nodes[...], s, i, &caps, k)
        case .alt(let nodes):
            for node in nodes { if match(node, s, i, &caps, k) { return true } }
            return false
        case let .group(index, inner):
            guard let index else { return match(inner, s, i, &caps, k) }
            let saved = caps[index]
            if match(inner, s, i, &caps, { e, c in
                let before = c[index]; c[index] = (i, e)
                if k(e, &c) { return true }
                c[index] = before; return false
            }) { return true }
            caps[index] = saved
            return false
        case let .repeatNode(inner, lo, hi, lazy):
            return rep(inner, lo, hi, lazy, 0, s, i, &caps, k)
        }
    }

    private func seq(_ nodes: ArraySlice<Node>, _ s: [Unicode.Scalar], _ i: Int, _ caps: inout Caps, _ k: (Int, inout Caps) -> Bool) -> Bool {
        guard let first = nodes.first else { return k(i, &caps) }
        return match(first, s, i, &caps) { e, c in seq(nodes.dropFirst(), s, e, &c, k) }
    }

    private func rep(_ n: Node, _ lo: Int, _ hi: Int, _ lazy: Bool, _ count: Int, _ s: [Unicode.Scalar], _ i: Int,
                     _ caps: inout Caps, _ k: (Int, inout Caps) -> Bool) -> Bool {
        // Fast path for `.` and single-character items: iterate instead of recursing.
        if case .any = n { return repSimple(n, lo, hi, lazy, s, i, &caps, k) }
        if case .char = n { return repSimple(n, lo, hi, lazy, s, i, &caps, k) }
        if case .set = n { return repSimple(n, lo, hi, lazy, s, i, &caps, k) }
        func more(_ c: inout Caps) -> Bool {
            count < hi && match(n, s, i, &c) { e, c2 in e == i && count >= lo ? false : rep(n, lo, hi, lazy, count + 1, s, e, &c2, k) }
        }
        if count < lo { return more(&caps) }
        if lazy { return k(i, &caps) || more(&caps) }
        return more(&caps) || k(i, &caps)
    }

    private func repSimple(_ n: Node, _ lo: Int, _ hi: Int, _ lazy: Bool, _ s: [Unicode.Scalar], _ i: Int,
                           _ caps: inout Caps, _ k: (Int, inout Caps) -> Bool) -> Bool {
        var ends = [i], j = i
        while ends.count - 1 < hi, match(n, s, j, &caps, { _, _ in true }) { j += 1; ends.append(j) }
        guard ends.count - 1 >= lo else { return false }
        let options = Array(ends[lo...])
        for e in lazy ? options : options.reversed() { if k(e, &caps) { return true } }
        return false
    }

    private struct PatternParser {
        let s: [Unicode.Scalar]
        var i = 0, groups = 0

        mutating func alternation() throws -> Node {
            var branches = [try sequence()]
            while i < s.count, s[i] == "|" { i += 1; branches.append(try sequence()) }
            return branches.count == 1 ? branches[0] : .alt(branches)
        }

        mutating func sequence() throws -> Node {
            var items: [Node] = []
            while i < s.count, s[i] != "|", s[i] != ")" {
                var atom = try self.atom()
                if i < s.count, let (lo, hi) = try quantifier() {
                    var lazy = false
                    if i < s.count, s[i] == "?" { lazy = true; i += 1 }
                    atom = .repeatNode(atom, min: lo, max: hi, lazy: lazy)
                }
                items.append(atom)
            }
            return .seq(items)
        }

        mutating func quantifier() throws -> (Int, Int)? {
            switch s[i] {
            case "*": i += 1; return (0, .max)
            case "+": i += 1; return (1, .max)
            case "?": i += 1; return (0, 1)
            case "{":
                var j = i + 1, lo = "", hi = "", comma = false
                while j < s.count, s[j] != "}" {
                    if s[j] == "," { comma = true } else if ("0"..."9").contains(s[j]) { if comma { hi.unicodeScalars.append(s[j]) } else { lo.unicodeScalars.append(s[j]) } } else { return nil }
                    j += 1
                }
                guard j < s.count, !(lo.isEmpty && !comma) else { return nil }
                i = j + 1
                let l = Int(lo) ?? 0
                return (l, comma ? (Int(hi) ?? .max) : l)
            default: return nil
            }
        }

        mutating func atom() throws -> Node {
            let c = s[i]; i += 1
            switch c {
            case ".": return .any
            case "^": return .start
            case "$": return .end
            case "(":
                var index: Int? = nil
                if i + 1 < s.count, s[i] == "?", s[i + 1] == ":" { i += 2 } else if i < s.count, s[i] == "?" {
                    throw SyntaxError(description: "unsupported group extension")
                } else { groups += 1; index = groups }
                let inner = try alternation()
                guard i < s.count, s[i] == ")" else { throw SyntaxError(description: "missing ), unterminated subpattern") }
                i += 1
                return .group(index, inner)
            case "[": return try charClass()
            case "\\": return try escape(inClass: false)
            case "*", "+", "?": throw SyntaxError(description: "nothing to repeat")
            default: return .char(c)
            }
        }

        mutating func escape(inClass: Bool) throws -> Node {
            guard i < s.count else { throw SyntaxError(description: "bad escape (end of pattern)") }
            let e = s[i]; i += 1
            switch e {
            case "d": return .set([], [{ $0.isPythonDecimal }], negated: false)
            case "D": return .set([], [{ $0.isPythonDecimal }], negated: true)
            case "w": return .set([], [{ $0.isPythonWord }], negated: false)
            case "W": return .set([], [{ $0.isPythonWord }], negated: true)
            case "s": return .set([], [{ $0.isPythonSpace }], negated: false)
            case "S": return .set([], [{ $0.isPythonSpace }], negated: true)
            case "b": return inClass ? .char("\u{08}") : .wordBoundary(true)
            case "B": return .wordBoundary(false)
            case "n": return .char("\n")
            case "t": return .char("\t")
            case "r": return .char("\r")
            default:
                if e.properties.isAlphabetic && e.isASCII { throw SyntaxError(description: "bad escape \\\(e)") }
                return .char(e)
            }
        }

        mutating func charClass() throws -> Node {
            var negated = false, ranges: [(Unicode.Scalar, Unicode.Scalar)] = [], preds: [(Unicode.Scalar) -> Bool] = []
            if i < s.count, s[i] == "^" { negated = true; i += 1 }
            var first = true
            while i < s.count, s[i] != "]" || first {
                first = false
                var lo: Unicode.Scalar
                if s[i] == "\\" {
                    i += 1
                    let node = try escape(inClass: true)
                    switch node {
                    case .char(let ch): lo = ch
                    case let .set(_, p, neg): preds.append(neg ? { !p[0]($0) } : p[0]); continue
                    default: continue
                    }
                } else { lo = s[i]; i += 1 }
                if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                    i += 1
                    var hi = s[i]; i += 1
                    if hi == "\\", i < s.count, case .char(let ch) = try escape(inClass: true) { hi = ch }
                    guard lo <= hi else { throw SyntaxError(description: "bad character range") }
                    ranges.append((lo, hi))
                } else { ranges.append((lo, lo)) }
            }
            guard i < s.count else { throw SyntaxError(description: "unterminated character set") }
            i += 1
            return .set(ranges, preds, negated: negated)
        }
    }
}
