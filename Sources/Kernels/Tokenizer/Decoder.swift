/// The `decoder` of tokenizer.json: turns token strings back into text.
indirect enum TokenDecoder: Sendable {
    case byteLevel
    case wordPiece(prefix: String, cleanup: Bool)
    case metaspace(replacement: String, stripFirst: Bool)
    case replace(String, String)
    case byteFallback
    case fuse
    case strip(content: Character, start: Int, stop: Int)
    case sequence([TokenDecoder])

    init?(json: JSON?) throws {
        guard let json, let type = json["type"]?.string else { return nil }
        switch type {
        case "ByteLevel": self = .byteLevel
        case "WordPiece": self = .wordPiece(prefix: json["prefix"]?.string ?? "##", cleanup: json["cleanup"]?.bool ?? true)
        case "Metaspace":
            self = .metaspace(replacement: json["replacement"]?.string ?? "▁",
                              stripFirst: (json["prepend_scheme"]?.string ?? "always") != "never")
        case "Replace":
            guard let p = json["pattern"]?["String"]?.string else { throw TokenizerError.unsupported("Replace decoder with a regex") }
            self = .replace(p, json["content"]?.string ?? "")
        case "ByteFallback": self = .byteFallback
        case "Fuse": self = .fuse
        case "Strip":
            self = .strip(content: (json["content"]?.string ?? " ").first ?? " ", start: json["start"]?.int ?? 0, stop: json["stop"]?.int ?? 0)
        case "Sequence": self = .sequence(try (json["decoders"]?.array ?? []).compactMap { try TokenDecoder(json: $0) })
        default: throw TokenizerError.unsupported("decoder \(type)")
        }
    }

    /// Applies this decoder to a list of token strings, returning the transformed list.
    func apply(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for t in tokens {
                var tb: [UInt8] = []
                var ok = true
                for u in t.unicodeScalars {
                    guard let b = ByteLevelTable.scalarToByte[u.value] else { ok = false; break }
                    tb.append(b)
                }
                bytes += ok ? tb : Array(t.utf8)
            }
            return [String(decoding: bytes, as: UTF8.self)]
        case let .wordPiece(prefix, cleanup):
            // As tokenizers does: the prefix is stripped (or a space added) and cleanup applied per token.
            return tokens.enumerated().map { i, t in
                let s = i > 0 && t.hasPrefix(prefix) ? String(t.dropFirst(prefix.count)) : (i > 0 ? " " : "") + t
                return cleanup ? cleanupText(s) : s
            }
        case let .metaspace(replacement, stripFirst):
            return tokens.enumerated().map { i, t in
                let s = replaceAll(t, replacement, " ")
                return (stripFirst && i == 0 && s.hasPrefix(" ")) ? String(s.dropFirst()) : s
            }
        case let .replace(p, c): return tokens.map { replaceAll($0, p, c) }
        case .byteFallback:
            var out: [String] = []
            var pending: [UInt8] = []
            func flush() {
                if pending.isEmpty { return }
                if let s = String(validating: pending, as: UTF8.self) { out.append(s) }
                else { out += Array(repeating: "\u{FFFD}", count: pending.count) }
                pending = []
            }
            for t in tokens {
                let u = Array(t.utf8)
                if u.count == 6, t.hasPrefix("<0x"), t.hasSuffix(">"), let b = UInt8(t.dropFirst(3).prefix(2), radix: 16) {
                    pending.append(b)
                } else { flush(); out.append(t) }
            }
            flush()
            return out
        case .fuse: return [tokens.joined()]
        case let .strip(content, start, stop):
            return tokens.map { t in
                var cs = Array(t)
                var s = 0
                while s < start && s < cs.count && cs[s] == content { s += 1 }
                cs.removeFirst(s)
                var e = 0
                while e < stop && !cs.isEmpty && cs.last == content { cs.removeLast(); e += 1 }
                return String(cs)
            }
        case .sequence(let list): return list.reduce(tokens) { $1.apply($0) }
        }
    }
}

/// The WordPiece decoder's `cleanup` (English tokenization spaces).
func cleanupText(_ s: String) -> String {
    var r = s
    for (a, b) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                   (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
        r = replaceAll(r, a, b)
    }
    return r
}
