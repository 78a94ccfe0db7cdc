/// A BPE model (`model.type == "BPE"`): byte-level (GPT-2 style) or SentencePiece style with byte fallback.
struct BPEModel: Sendable {
    let vocab: [String: Int]
    /// (left id, right id) → (rank, merged id).
    let merges: [UInt64: (rank: Int, id: Int)]
    let unkId: Int?
    let byteFallback: Bool
    let ignoreMerges: Bool
    let fuseUnk: Bool
    let continuingPrefix: String
    let endOfWordSuffix: String
    /// `<0xNN>` ids when byte fallback is on.
    let byteIds: [Int?]

    init(json: JSON) throws {
        guard let v = json["vocab"]?.object else { throw TokenizerError.invalid("BPE model without a vocab") }
        var vocab: [String: Int] = [:]
        vocab.reserveCapacity(v.count)
        for (k, id) in v { vocab[k] = id.int }
        self.vocab = vocab
        var merges: [UInt64: (rank: Int, id: Int)] = [:]
        for (rank, m) in (json["merges"]?.array ?? []).enumerated() {
            let pair: (String, String)
            if let s = m.string {
                guard let space = s.firstIndex(of: " ") else { throw TokenizerError.invalid("merge \"\(s)\" has no space") }
                pair = (String(s[..<space]), String(s[s.index(after: space)...]))
            } else if let a = m.array, a.count == 2, let l = a[0].string, let r = a[1].string {
                pair = (l, r)
            } else { throw TokenizerError.invalid("merge \(rank) is neither \"a b\" nor [a, b]") }
            let prefix = json["continuing_subword_prefix"]?.string ?? ""
            let suffixFree = !prefix.isEmpty && pair.1.hasPrefix(prefix) ? String(pair.1.dropFirst(prefix.count)) : pair.1
            guard let l = vocab[pair.0], let r = vocab[pair.1], let merged = vocab[pair.0 + suffixFree] else {
                throw TokenizerError.invalid("merge \(rank) \(pair) uses tokens absent from the vocab")
            }
            let key = UInt64(l) << 32 | UInt64(r)
            if merges[key] == nil { merges[key] = (rank, merged) }
        }
        self.merges = merges
        unkId = json["unk_token"]?.string.flatMap { vocab[$0] }
        byteFallback = json["byte_fallback"]?.bool ?? false
        ignoreMerges = json["ignore_merges"]?.bool ?? false
        fuseUnk = json["fuse_unk"]?.bool ?? false
        continuingPrefix = json["continuing_subword_prefix"]?.string ?? ""
        endOfWordSuffix = json["end_of_word_suffix"]?.string ?? ""
        byteIds = (0..<256).map { b in
            let h = String(b, radix: 16, uppercase: true)
            return vocab["<0x" + (h.count == 1 ? "0" + h : h) + ">"]
        }
    }

    /// Token ids of one pre-tokenized piece.
    func encode(_ piece: String, into out: inout [Int]) {
        if piece.isEmpty { return }
        if ignoreMerges, let id = vocab[piece] { out.append(id); return }
        // Initial symbols: one per Unicode scalar (Rust `chars()`), or its UTF-8 byte tokens.
        var symbols: [Int] = []
        let chars = Array(piece.unicodeScalars)
        for (i, ch) in chars.enumerated() {
            var s = String(ch)
            if i > 0 && !continuingPrefix.isEmpty { s = continuingPrefix + s }
            if i == chars.count - 1 && !endOfWordSuffix.isEmpty { s += endOfWordSuffix }
            if let id = vocab[s] {
                symbols.append(id)
            } else if byteFallback, String(ch).utf8.allSatisfy({ byteIds[Int($0)] != nil }) {
                for b in String(ch).utf8 { symbols.append(byteIds[Int(b)]! | Self.lockedBit) }
            } else if let unk = unkId {
                if fuseUnk, let last = symbols.last, last == unk | Self.lockedBit { continue }
                symbols.append(unk | Self.lockedBit)
            }
        }
        // Merge the lowest-ranked adjacent pair (leftmost on ties) until none applies.
        while symbols.count > 1 {
            var best = Int.max, at = -1, mergedId = 0
            for i in 0..<(symbols.count - 1) {
                let l = symbols[i], r = symbols[i + 1]
                if l & Self.lockedBit != 0 || r & Self.lockedBit != 0 { continue }
                if let m = merges[UInt64(l) << 32 | UInt64(r)], m.rank < best { best = m.rank; at = i; mergedId = m.id }
            }
            if at < 0 { break }
            symbols[at] = mergedId
            symbols.remove(at: at + 1)
        }
        for s in symbols { out.append(s & ~Self.lockedBit) }
    }

    /// Marks byte-fallback and unknown symbols, which never take part in merges.
    static let lockedBit = 1 << 40
}
