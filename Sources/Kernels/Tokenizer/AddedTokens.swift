/// One entry of `added_tokens` in tokenizer.json.
public struct AddedToken: Sendable {
    public let id: Int
    public let content: String
    public let special: Bool
    public let lstrip: Bool
    public let rstrip: Bool
    public let singleWord: Bool
    public let normalized: Bool
}

/// A run of input text: either plain text for the rest of the pipeline, or a matched added token.
enum Segment: Equatable {
    case text(Substring)
    case token(Int)
}

/// Splits text on added tokens, leftmost-longest (kernels.md §2.1), honouring `lstrip`/`rstrip`
/// (adjacent whitespace is absorbed into the match) and `single_word`.
struct AddedTokenSplitter: Sendable {
    let tokens: [AddedToken]
    /// Tokens grouped by first UTF-8 byte, longest first.
    private let byFirstByte: [UInt8: [AddedToken]]

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        var m: [UInt8: [AddedToken]] = [:]
        for t in tokens where !t.content.isEmpty { m[t.content.utf8.first!, default: []].append(t) }
        for k in m.keys { m[k]!.sort { $0.content.utf8.count > $1.content.utf8.count } }
        byFirstByte = m
    }

    func split(_ text: String) -> [Segment] {
        if byFirstByte.isEmpty { return text.isEmpty ? [] : [.text(text[...])] }
        let utf8 = Array(text.utf8)
        var segments: [Segment] = []
        var textStart = 0
        var i = 0
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }
        while i < utf8.count {
            guard let candidates = byFirstByte[utf8[i]] else { i += 1; continue }
            var matched: AddedToken? = nil
            for t in candidates {
                let c = Array(t.content.utf8)
                if i + c.count <= utf8.count && utf8[i..<(i + c.count)].elementsEqual(c) {
                    if t.singleWord && !isWordBoundary(utf8, i, i + c.count) { continue }
                    matched = t
                    break
                }
            }
            guard let t = matched else { i += 1; continue }
            var start = i, end = i + t.content.utf8.count
            if t.lstrip { while start > textStart && isASCIIWhitespace(utf8[start - 1]) { start -= 1 } }
            if t.rstrip { while end < utf8.count && isASCIIWhitespace(utf8[end]) { end += 1 } }
            if start > textStart { segments.append(.text(text[index(textStart)..<index(start)])) }
            segments.append(.token(t.id))
            textStart = end
            i = end
        }
        if textStart < utf8.count { segments.append(.text(text[index(textStart)...])) }
        return segments
    }

    private func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 9 && b <= 13) }

    private func isWordBoundary(_ u: [UInt8], _ s: Int, _ e: Int) -> Bool {
        func wordByte(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80 }
        return (s == 0 || !wordByte(u[s - 1])) && (e == u.count || !wordByte(u[e]))
    }
}
