@_spi(_Unicode) import Swift   // String._nfd / _nfc: Unicode normalisation without full Foundation

/// The `normalizer` of tokenizer.json.
indirect enum Normalizer: Sendable {
    case bert(cleanText: Bool, chineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    case nfc, nfd, nfkc
    case lowercase
    case stripAccents
    case prepend(String)
    case replace(String, String)
    case strip(left: Bool, right: Bool)
    case sequence([Normalizer])

    init?(json: JSON) throws {
        guard let type = json["type"]?.string else { return nil }
        switch type {
        case "BertNormalizer":
            let lower = json["lowercase"]?.bool ?? true
            let strip = json["strip_accents"]?.bool ?? lower   // null follows lowercase
            self = .bert(cleanText: json["clean_text"]?.bool ?? true, chineseChars: json["handle_chinese_chars"]?.bool ?? true,
                         stripAccents: strip, lowercase: lower)
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "Lowercase": self = .lowercase
        case "StripAccents": self = .stripAccents
        case "Prepend": self = .prepend(json["prepend"]?.string ?? "")
        case "Replace":
            guard let pattern = json["pattern"]?["String"]?.string else {
                throw TokenizerError.unsupported("Replace normalizer with a regex pattern")
            }
            self = .replace(pattern, json["content"]?.string ?? "")
        case "Strip": self = .strip(left: json["strip_left"]?.bool ?? true, right: json["strip_right"]?.bool ?? true)
        case "Sequence":
            self = .sequence(try (json["normalizers"]?.array ?? []).compactMap { try Normalizer(json: $0) })
        default: throw TokenizerError.unsupported("normalizer \(type)")
        }
    }

    func apply(_ s: String) -> String {
        switch self {
        case let .bert(clean, chinese, strip, lower):
            var out = String.UnicodeScalarView()
            for u in s.unicodeScalars {
                if clean {
                    if u.value == 0 || u.value == 0xFFFD || (isControl(u) && u != "\t" && u != "\n" && u != "\r") { continue }
                    if isWhitespace(u) { out.append(" "); continue }
                }
                if chinese && isChineseChar(u) { out.append(" "); out.append(u); out.append(" "); continue }
                out.append(u)
            }
            var r = String(out)
            if strip { r = Normalizer.stripAccents.apply(r) }
            if lower { r = Normalizer.lowercase.apply(r) }
            return r
        case .nfc: return String(String.UnicodeScalarView(s._nfc))
        case .nfd: return String(String.UnicodeScalarView(s._nfd))
        case .nfkc: return String(String.UnicodeScalarView(s._nfc))   // compatibility mappings not applied
        case .lowercase:
            var out = String.UnicodeScalarView()
            for u in s.unicodeScalars {
                if u.isASCII { out.append(u.value >= 65 && u.value <= 90 ? Unicode.Scalar(u.value + 32)! : u) }
                else { out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars) }
            }
            return String(out)
        case .stripAccents:
            var out = String.UnicodeScalarView()
            for u in s._nfd where u.properties.generalCategory != .nonspacingMark { out.append(u) }
            return String(out)
        case .prepend(let p): return s.isEmpty ? s : p + s
        case let .replace(pattern, content): return replaceAll(s, pattern, content)
        case let .strip(left, right):
            var scalars = Substring(s).unicodeScalars[...]
            if left { while let f = scalars.first, isWhitespace(f) { scalars.removeFirst() } }
            if right { while let l = scalars.last, isWhitespace(l) { scalars.removeLast() } }
            return String(String.UnicodeScalarView(scalars))
        case .sequence(let list): return list.reduce(s) { $1.apply($0) }
        }
    }
}

/// Replaces every occurrence of `pattern` (literal) in `s`.
func replaceAll(_ s: String, _ pattern: String, _ content: String) -> String {
    if pattern.isEmpty { return s }
    let p = Array(pattern.utf8)
    let u = Array(s.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(u.count)
    var i = 0
    while i < u.count {
        if u[i] == p[0] && i + p.count <= u.count && u[i..<(i + p.count)].elementsEqual(p) {
            out += content.utf8
            i += p.count
        } else {
            out.append(u[i]); i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Unicode category C* (control, format, surrogate, private use, unassigned).
func isControl(_ u: Unicode.Scalar) -> Bool {
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned: return true
    default: return false
    }
}

/// The CJK ranges BERT pads with spaces.
func isChineseChar(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
         0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
    default: return false
    }
}
