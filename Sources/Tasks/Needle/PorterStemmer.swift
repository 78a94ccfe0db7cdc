/// The Porter stemmer as NLTK's `PorterStemmer()` runs it by default (`NLTK_EXTENSIONS` mode:
/// irregular-form table, words of at most two letters kept, and NLTK's rule variants).
/// Written from the published algorithm and NLTK's documented deviations; checked against
/// `fixtures/scoring/needle/porter_stems.json`.
public struct PorterStemmer: Sendable {
    public init() {}

    /// NLTK's irregular forms (`NLTK_EXTENSIONS` only), looked up before any rule.
    private static let irregular: [String: String] = [
        "skies": "sky", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
        "outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
        "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
    ]

    /// The stem of `word` (lowercased first, as NLTK's `stem(word)` does).
    public func stem(_ word: String) -> String {
        let lower = word.pyLowercased()
        if let irregular = Self.irregular[word] { return irregular }
        if word.unicodeScalars.count <= 2 { return lower }
        var w = Word(lower)
        w = step1a(w); w = step1b(w); w = step1c(w)
        w = step2(w); w = step3(w); w = step4(w)
        w = step5a(w); w = step5b(w)
        return w.string
    }

    // MARK: steps

    private func step1a(_ w: Word) -> Word {
        if w.count == 4, w.hasSuffix("ies") { return w.replacing(suffix: "ies", with: "ie") }
        return applyRules(w, [
            Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", ""),
        ])
    }

    private func step1b(_ w: Word) -> Word {
        if w.hasSuffix("ied") {
            return w.replacing(suffix: "ied", with: w.count == 4 ? "ie" : "i")
        }
        if w.hasSuffix("eed") {
            let stem = w.dropping(3)
            return stem.measure > 0 ? stem.appending("ee") : w
        }
        var base: Word?
        for suffix in ["ed", "ing"] where w.hasSuffix(suffix) {
            let candidate = w.dropping(suffix.count)
            if candidate.containsVowel { base = candidate; break }
        }
        guard let stem = base else { return w }
        let last = stem.chars.last.map { String($0) } ?? ""
        return applyRules(stem, [
            Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize"),
            Rule(doubleConsonant: last) { _ in !["l", "s", "z"].contains(last) },
            Rule("", "e") { $0.measure == 1 && $0.endsCVC },
        ])
    }

    private func step1c(_ w: Word) -> Word {
        applyRules(w, [Rule("y", "i") { $0.count > 1 && $0.isConsonant($0.count - 1) }])
    }

    private func step2(_ w: Word) -> Word {
        // NLTK applies ALLI -> AL first and, when it fires, runs step 2 again on the result.
        if w.hasSuffix("alli"), w.dropping(4).measure > 0 {
            return step2(w.replacing(suffix: "alli", with: "al"))
        }
        let positive: @Sendable (Word) -> Bool = { $0.measure > 0 }
        var rules = [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
            ("izer", "ize"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
            ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
            ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
            ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("fulli", "ful"),
        ].map { Rule($0.0, $0.1, positive) }
        // The 'l' of LOGI stays with the stem when measuring (so 'geologi' works like 'philologi').
        rules.append(Rule("logi", "log") { _ in w.dropping(3).measure > 0 })
        return applyRules(w, rules)
    }

    private func step3(_ w: Word) -> Word {
        let positive: @Sendable (Word) -> Bool = { $0.measure > 0 }
        return applyRules(w, [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"),
            ("ical", "ic"), ("ful", ""), ("ness", ""),
        ].map { Rule($0.0, $0.1, positive) })
    }

    private func step4(_ w: Word) -> Word {
        let gt1: @Sendable (Word) -> Bool = { $0.measure > 1 }
        var rules = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent"]
            .map { Rule($0, "", gt1) }
        rules.append(Rule("ion", "") { $0.measure > 1 && ($0.chars.last == "s" || $0.chars.last == "t") })
        rules += ["ou", "ism", "ate", "iti", "ous", "ive", "ize"].map { Rule($0, "", gt1) }
        return applyRules(w, rules)
    }

    private func step5a(_ w: Word) -> Word {
        guard w.hasSuffix("e") else { return w }
        let stem = w.dropping(1)
        let m = stem.measure
        if m > 1 || (m == 1 && !stem.endsCVC) { return stem }
        return w
    }

    private func step5b(_ w: Word) -> Word {
        applyRules(w, [Rule("ll", "l") { _ in w.dropping(1).measure > 1 }])
    }

    /// The first rule whose suffix matches decides: its condition either allows the
    /// replacement or stops the step with the word unchanged.
    private func applyRules(_ w: Word, _ rules: [Rule]) -> Word {
        for rule in rules {
            let stem: Word
            if let replacement = rule.doubleConsonantReplacement {
                guard w.endsDoubleConsonant else { continue }
                stem = w.dropping(2)
                return rule.condition(stem) ? stem.appending(replacement) : w
            }
            guard w.hasSuffix(rule.suffix) else { continue }
            stem = w.dropping(rule.suffix.count)
            return rule.condition(stem) ? stem.appending(rule.replacement) : w
        }
        return w
    }
}

/// One rewrite rule: suffix → replacement when the condition holds for the remaining stem.
private struct Rule {
    var suffix: String
    var replacement: String
    /// Set for NLTK's `*d` rule (any double consonant), with the letter to put back.
    var doubleConsonantReplacement: String?
    var condition: (Word) -> Bool

    init(_ suffix: String, _ replacement: String, _ condition: @escaping (Word) -> Bool = { _ in true }) {
        self.suffix = suffix; self.replacement = replacement; self.condition = condition
    }

    init(doubleConsonant replacement: String, _ condition: @escaping (Word) -> Bool) {
        self.suffix = ""; self.replacement = replacement
        self.doubleConsonantReplacement = replacement; self.condition = condition
    }
}

/// A word as code points, with the measures the Porter rules are stated in.
private struct Word {
    var chars: [Unicode.Scalar]

    init(_ s: String) { chars = Array(s.unicodeScalars) }
    init(chars: [Unicode.Scalar]) { self.chars = chars }

    var count: Int { chars.count }
    var string: String { var v = String.UnicodeScalarView(); v.append(contentsOf: chars); return String(v) }

    func hasSuffix(_ suffix: String) -> Bool {
        let s = Array(suffix.unicodeScalars)
        return s.count <= chars.count && Array(chars.suffix(s.count)) == s
    }
    func dropping(_ n: Int) -> Word { Word(chars: Array(chars.dropLast(n))) }
    func appending(_ s: String) -> Word { Word(chars: chars + Array(s.unicodeScalars)) }
    func replacing(suffix: String, with r: String) -> Word { dropping(suffix.unicodeScalars.count).appending(r) }

    /// A letter other than a, e, i, o, u, and other than a `y` preceded by a consonant.
    func isConsonant(_ i: Int) -> Bool {
        switch chars[i] {
        case "a", "e", "i", "o", "u": return false
        case "y": return i == 0 ? true : !isConsonant(i - 1)
        default: return true
        }
    }

    /// m in [C](VC)^m[V]: the number of vowel→consonant transitions.
    var measure: Int {
        var m = 0
        var previousVowel = false
        for i in chars.indices {
            let consonant = isConsonant(i)
            if consonant && previousVowel { m += 1 }
            previousVowel = !consonant
        }
        return m
    }

    var containsVowel: Bool { chars.indices.contains { !isConsonant($0) } }

    var endsDoubleConsonant: Bool {
        count >= 2 && chars[count - 1] == chars[count - 2] && isConsonant(count - 1)
    }

    /// *o: consonant-vowel-consonant with the last not w, x or y; NLTK also accepts a
    /// two-letter vowel-consonant word.
    var endsCVC: Bool {
        let n = count
        if n >= 3, isConsonant(n - 3), !isConsonant(n - 2), isConsonant(n - 1),
           !["w", "x", "y"].contains(chars[n - 1]) { return true }
        return n == 2 && !isConsonant(0) && isConsonant(1)
    }
}
