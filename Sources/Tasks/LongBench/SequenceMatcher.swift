/// fuzzywuzzy 0.18's `fuzz.ratio` without python-Levenshtein, i.e. over `difflib.SequenceMatcher`
/// (spec §4.4.8), on code points.
enum FuzzRatio {
    /// 0 for an empty side, 100 for equal strings, else `int(round(100 * ratio))` (half to even).
    static func ratio(_ a: String, _ b: String) -> Int {
        if a.pyEquals(b) { return 100 }
        if a.isEmpty || b.isEmpty { return 0 }
        let r = SequenceMatcher(Array(a.unicodeScalars), Array(b.unicodeScalars)).ratio()
        return Int((100 * r).rounded(.toNearestOrEven))
    }
}

/// `difflib.SequenceMatcher(None, a, b)` with autojunk: `find_longest_match`,
/// `get_matching_blocks` and `ratio` as CPython computes them.
struct SequenceMatcher {
    let a: [Unicode.Scalar], b: [Unicode.Scalar]
    /// Positions of each element of `b`, popular elements removed when `len(b) >= 200`.
    private var b2j: [Unicode.Scalar: [Int]] = [:]

    init(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) {
        self.a = a; self.b = b
        for (i, e) in b.enumerated() { b2j[e, default: []].append(i) }
        if b.count >= 200 {
            let ntest = b.count / 100 + 1
            for (e, idxs) in b2j where idxs.count > ntest { b2j[e] = nil }
        }
    }

    /// Longest matching block in `a[alo..<ahi]`, `b[blo..<bhi]`: earliest in `a`, then in `b`;
    /// extended over equal (popular) elements on both ends as difflib does.
    func findLongestMatch(_ alo: Int, _ ahi: Int, _ blo: Int, _ bhi: Int) -> (i: Int, j: Int, k: Int) {
        var besti = alo, bestj = blo, bestsize = 0
        var j2len: [Int: Int] = [:]
        for i in alo..<ahi {
            var newj2len: [Int: Int] = [:]
            for j in b2j[a[i]] ?? [] {
                if j < blo { continue }
                if j >= bhi { break }
                let k = (j2len[j - 1] ?? 0) + 1
                newj2len[j] = k
                if k > bestsize { besti = i - k + 1; bestj = j - k + 1; bestsize = k }
            }
            j2len = newj2len
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1; bestj -= 1; bestsize += 1
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1
        }
        return (besti, bestj, bestsize)
    }

    /// Total size of the matching blocks (`get_matching_blocks`, whose order does not change the sum).
    func matchedCount() -> Int {
        var queue = [(0, a.count, 0, b.count)], total = 0
        while let (alo, ahi, blo, bhi) = queue.popLast() {
            let (i, j, k) = findLongestMatch(alo, ahi, blo, bhi)
            guard k > 0 else { continue }
            total += k
            if alo < i && blo < j { queue.append((alo, i, blo, j)) }
            if i + k < ahi && j + k < bhi { queue.append((i + k, ahi, j + k, bhi)) }
        }
        return total
    }

    /// `2 * M / (len(a) + len(b))`, 1.0 for two empty sequences.
    func ratio() -> Double {
        let length = a.count + b.count
        return length > 0 ? 2.0 * Double(matchedCount()) / Double(length) : 1.0
    }
}
