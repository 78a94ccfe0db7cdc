#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `jieba.cut(text, cut_all=False)` (precise mode, HMM on) of jieba 0.42.1: dictionary DAG,
/// maximum log-frequency route, and the BMES Viterbi for runs of unknown single characters.
public struct JiebaSegmenter: Sendable {
    typealias Text = [Unicode.Scalar]
    let model: JiebaModel
    private let logTotal: Double

    public init(model: JiebaModel) { self.model = model; logTotal = log(Double(model.total)) }

    /// The tokens of `text`, in order.
    public func cut(_ text: String) -> [String] {
        var out: [String] = []
        for block in Self.split(Array(text.unicodeScalars), by: Self.hanBlockLength) {
            if block.isMatch {
                for w in cutDAG(block.text) { out.append(String(String.UnicodeScalarView(w))) }
            } else {
                for piece in Self.split(block.text, by: Self.skipLength) {
                    if piece.isMatch { out.append(String(String.UnicodeScalarView(piece.text))) } else {
                        for c in piece.text { out.append(String(c)) }
                    }
                }
            }
        }
        return out
    }

    // MARK: - dictionary route

    private func cutDAG(_ s: Text) -> [Text] {
        let n = s.count
        // calc: route[idx] = max over DAG ends x of (log(FREQ or 1) - logtotal + route[x+1], x).
        var routeProb = [Double](repeating: 0, count: n + 1), routeEnd = [Int](repeating: 0, count: n + 1)
        for idx in stride(from: n - 1, through: 0, by: -1) {
            var bestP = -Double.infinity, bestX = -1
            for x in dagEnds(s, idx) {
                let f = model.freq[Array(s[idx...x])] ?? 0
                let p = log(Double(f == 0 ? 1 : f)) - logTotal + routeProb[x + 1]
                if bestX < 0 || p > bestP || (p == bestP && x > bestX) { bestP = p; bestX = x }
            }
            routeProb[idx] = bestP; routeEnd[idx] = bestX
        }
        var out: [Text] = [], buf: Text = [], x = 0
        while x < n {
            let y = routeEnd[x] + 1
            if y - x == 1 {
                buf.append(s[x])
            } else {
                flush(&buf, into: &out)
                out.append(Array(s[x..<y]))
            }
            x = y
        }
        flush(&buf, into: &out)
        return out
    }

    /// A run of single characters: one token, the HMM's words when unknown, else its characters.
    private func flush(_ buf: inout Text, into out: inout [Text]) {
        guard !buf.isEmpty else { return }
        if buf.count == 1 {
            out.append(buf)
        } else if (model.freq[buf] ?? 0) == 0 {
            out.append(contentsOf: hmmCut(buf))
        } else {
            for c in buf { out.append([c]) }
        }
        buf = []
    }

    /// `get_DAG(sentence)[k]`: end positions of dictionary words starting at `k` (or `[k]`).
    private func dagEnds(_ s: Text, _ k: Int) -> [Int] {
        var ends: [Int] = [], i = k
        var frag: Text = [s[k]]
        while i < s.count, let f = model.freq[frag] {
            if f != 0 { ends.append(i) }
            i += 1
            if i < s.count { frag.append(s[i]) }
        }
        return ends.isEmpty ? [k] : ends
    }

    // MARK: - HMM (finalseg)

    private func hmmCut(_ s: Text) -> [Text] {
        var out: [Text] = []
        for block in Self.split(s, by: Self.hanOnlyLength) {
            if block.isMatch {
                out.append(contentsOf: viterbiWords(block.text))
            } else {
                for piece in Self.split(block.text, by: Self.alnumNumberLength) where !piece.text.isEmpty {
                    out.append(piece.text)
                }
            }
        }
        return out
    }

    private static let minFloat = -3.14e100
    /// `PrevStatus`, by state index (B, E, M, S).
    private static let previous: [[Int]] = [[1, 3], [0, 2], [2, 0], [3, 1]]

    private func viterbiWords(_ s: Text) -> [Text] {
        var v = (0..<4).map { model.start[$0] + (model.emit[$0][s[0]] ?? Self.minFloat) }
        var paths: [[Int]] = (0..<4).map { [$0] }
        for t in 1..<max(1, s.count) {
            var nv = [Double](repeating: 0, count: 4), np = [[Int]](repeating: [], count: 4)
            for y in 0..<4 {
                let em = model.emit[y][s[t]] ?? Self.minFloat
                var best = -Double.infinity, bestState = -1
                for y0 in Self.previous[y] {
                    let p = v[y0] + (model.trans[y0][y] ?? Self.minFloat) + em
                    if bestState < 0 || p > best || (p == best && y0 > bestState) { best = p; bestState = y0 }
                }
                nv[y] = best; np[y] = paths[bestState] + [y]
            }
            v = nv; paths = np
        }
        // max over ('E', 'S') of (prob, state); ties go to 'S'.
        let last = v[3] >= v[1] ? 3 : 1
        let tags = paths[last]
        var out: [Text] = [], begin = 0, next = 0
        for (i, tag) in tags.enumerated() {
            switch tag {
            case 0: begin = i
            case 1: out.append(Array(s[begin...i])); next = i + 1
            case 3: out.append([s[i]]); next = i + 1
            default: break
            }
        }
        if next < s.count { out.append(Array(s[next...])) }
        return out
    }

    // MARK: - the reference's regular expressions, as longest-match functions

    /// Pieces of `re.split` with one capturing group: alternately non-matching text and matches.
    static func split(_ s: Text, by matchLength: (Text, Int) -> Int) -> [(text: Text, isMatch: Bool)] {
        var out: [(Text, Bool)] = [], start = 0, i = 0
        while i < s.count {
            let len = matchLength(s, i)
            if len > 0 {
                out.append((Array(s[start..<i]), false)); out.append((Array(s[i..<(i + len)]), true))
                i += len; start = i
            } else { i += 1 }
        }
        out.append((Array(s[start...]), false))
        return out.filter { !$0.0.isEmpty || $0.1 }
    }

    private static func isHan(_ c: Unicode.Scalar) -> Bool { (0x4E00...0x9FD5).contains(c.value) }
    private static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// `[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+`.
    static func hanBlockLength(_ s: Text, _ i: Int) -> Int {
        var j = i
        while j < s.count, isHan(s[j]) || isASCIIAlnum(s[j]) || "+#&._%-".unicodeScalars.contains(s[j]) { j += 1 }
        return j - i
    }

    /// `\r\n|\s`.
    static func skipLength(_ s: Text, _ i: Int) -> Int {
        if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { return 2 }
        return s[i].isPythonSpace ? 1 : 0
    }

    /// `[\u4E00-\u9FD5]+`.
    static func hanOnlyLength(_ s: Text, _ i: Int) -> Int {
        var j = i
        while j < s.count, isHan(s[j]) { j += 1 }
        return j - i
    }

    /// `[a-zA-Z0-9]+(?:\.\d+)?%?`.
    static func alnumNumberLength(_ s: Text, _ i: Int) -> Int {
        var j = i
        while j < s.count, isASCIIAlnum(s[j]) { j += 1 }
        guard j > i else { return 0 }
        if j + 1 < s.count, s[j] == ".", s[j + 1].isPythonDecimal {
            j += 1
            while j < s.count, s[j].isPythonDecimal { j += 1 }
        }
        if j < s.count, s[j] == "%" { j += 1 }
        return j - i
    }
}
