/// The `pre_tokenizer` of tokenizer.json: splits normalized text into pieces the model encodes one by one.
indirect enum PreTokenizer: Sendable {
    /// GPT-2 byte level: optional regex split, then every piece mapped to the byte alphabet.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Every Unicode numeric character (or every run, when not individual) isolated.
    case digits(individual: Bool)
    /// Split on a regex, matches isolated (`behavior: Isolated`) or removed (`Removed`).
    case split(RegexBox, removeMatches: Bool)
    /// SentencePiece: spaces → `replacement`, prefix added, pieces start at each replacement.
    case metaspace(replacement: String, prependFirst: Bool, split: Bool)
    /// BERT: split on whitespace, then every punctuation character alone.
    case bert
    /// `\w+|[^\w\s]+`
    case whitespace
    case sequence([PreTokenizer])

    init?(json: JSON) throws {
        guard let type = json["type"]?.string else { return nil }
        switch type {
        case "ByteLevel":
            self = .byteLevel(addPrefixSpace: json["add_prefix_space"]?.bool ?? true, useRegex: json["use_regex"]?.bool ?? true)
        case "Digits": self = .digits(individual: json["individual_digits"]?.bool ?? false)
        case "Split":
            guard let pattern = json["pattern"]?["Regex"]?.string ?? json["pattern"]?["String"]?.string.map(escapeRegex) else {
                throw TokenizerError.unsupported("Split pre-tokenizer without a pattern")
            }
            let behavior = json["behavior"]?.string ?? "Isolated"
            guard behavior == "Isolated" || behavior == "Removed", !(json["invert"]?.bool ?? false) else {
                throw TokenizerError.unsupported("Split behavior \(behavior)")
            }
            self = .split(try RegexBox(pattern), removeMatches: behavior == "Removed")
        case "Metaspace":
            let scheme = json["prepend_scheme"]?.string ?? ((json["add_prefix_space"]?.bool ?? true) ? "always" : "never")
            self = .metaspace(replacement: json["replacement"]?.string ?? "▁", prependFirst: scheme != "never",
                              split: json["split"]?.bool ?? true)
        case "BertPreTokenizer": self = .bert
        case "Whitespace": self = .whitespace
        case "Sequence":
            self = .sequence(try (json["pretokenizers"]?.array ?? []).compactMap { try PreTokenizer(json: $0) })
        default: throw TokenizerError.unsupported("pre-tokenizer \(type)")
        }
    }

    /// Splits `pieces` further. `first` tells whether the text is the start of the input (Metaspace "first").
    func apply(_ pieces: [String]) -> [String] {
        switch self {
        case let .byteLevel(addPrefixSpace, useRegex):
            return pieces.flatMap { p -> [String] in
                let text = (addPrefixSpace && !p.hasPrefix(" ")) ? " " + p : p
                let parts = useRegex ? gpt2Split(text[...]) : [text[...]]
                return parts.map { ByteLevelTable.encode($0) }
            }
        case .digits(let individual):
            return pieces.flatMap { splitScalars($0, isolate: isNumber, runs: !individual) }
        case let .split(box, remove):
            return pieces.flatMap { box.split($0, removeMatches: remove) }
        case let .metaspace(replacement, prependFirst, split):
            return pieces.enumerated().flatMap { (i, p) -> [String] in
                var s = replaceAll(p, " ", replacement)
                if prependFirst && i == 0 && !s.hasPrefix(replacement) { s = replacement + s }
                guard split else { return [s] }
                var out: [String] = []
                var current = ""
                for ch in s {
                    if String(ch) == replacement && !current.isEmpty { out.append(current); current = "" }
                    current.append(ch)
                }
                if !current.isEmpty { out.append(current) }
                return out
            }
        case .bert:
            return pieces.flatMap { p -> [String] in
                p.unicodeScalars.split(whereSeparator: isWhitespace).flatMap { word in
                    splitScalars(String(String.UnicodeScalarView(word)), isolate: isBertPunctuation, runs: false)
                }
            }
        case .whitespace:
            return pieces.flatMap { p -> [String] in
                p.unicodeScalars.split(whereSeparator: isWhitespace).flatMap { word -> [String] in
                    var out: [String] = []
                    var cur = String.UnicodeScalarView(), curIsWord = false
                    for u in word {
                        let w = isLetter(u) || isNumber(u) || u == "_"
                        if !cur.isEmpty && w != curIsWord { out.append(String(cur)); cur = .init() }
                        cur.append(u); curIsWord = w
                    }
                    if !cur.isEmpty { out.append(String(cur)) }
                    return out
                }
            }
        case .sequence(let list):
            return list.reduce(pieces) { $1.apply($0) }
        }
    }
}

/// Splits `s` so that every scalar matching `isolate` (or every run of them, with `runs`) is its own piece.
func splitScalars(_ s: String, isolate: (Unicode.Scalar) -> Bool, runs: Bool) -> [String] {
    var out: [String] = []
    var cur = String.UnicodeScalarView()
    var curIsolated = false
    for u in s.unicodeScalars {
        let iso = isolate(u)
        if !cur.isEmpty && (iso != curIsolated || (iso && !runs)) { out.append(String(cur)); cur = .init() }
        cur.append(u)
        curIsolated = iso
    }
    if !cur.isEmpty { out.append(String(cur)) }
    return out
}

/// BERT punctuation: ASCII 33–47, 58–64, 91–96, 123–126, or Unicode category P*.
func isBertPunctuation(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
    switch u.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
         .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
    default: return false
    }
}

func escapeRegex(_ s: String) -> String {
    var out = ""
    for ch in s {
        if "\\^$.|?*+()[]{}".contains(ch) { out.append("\\") }
        out.append(ch)
    }
    return out
}

/// A Swift `Regex` matched over Unicode scalars (as the Rust/Oniguruma engines do), wrapped to be Sendable.
struct RegexBox: @unchecked Sendable {
    // Regex is not Sendable; this one is only ever read (matching does not mutate it).
    let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        do { regex = try Regex(pattern).matchingSemantics(.unicodeScalar) } catch {
            throw TokenizerError.unsupported("regex \(pattern): \(error)")
        }
    }

    /// Pieces of `s`: the text between matches and (unless removed) the matches themselves.
    func split(_ s: String, removeMatches: Bool) -> [String] {
        var out: [String] = []
        var last = s.startIndex
        for m in s.matches(of: regex) where !m.range.isEmpty {
            if m.range.lowerBound > last { out.append(String(s[last..<m.range.lowerBound])) }
            if !removeMatches { out.append(String(s[m.range])) }
            last = m.range.upperBound
        }
        if last < s.endIndex { out.append(String(s[last...])) }
        return out
    }
}
