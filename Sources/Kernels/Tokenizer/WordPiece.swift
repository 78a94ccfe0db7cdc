/// A WordPiece model (`model.type == "WordPiece"`, BERT/MPNet): greedy longest-match-first.
struct WordPieceModel: Sendable {
    let vocab: [String: Int]
    let unkId: Int
    let prefix: String
    let maxChars: Int

    init(json: JSON) throws {
        guard let v = json["vocab"]?.object else { throw TokenizerError.invalid("WordPiece model without a vocab") }
        var vocab: [String: Int] = [:]
        for (k, id) in v { vocab[k] = id.int }
        self.vocab = vocab
        let unk = json["unk_token"]?.string ?? "[UNK]"
        guard let unkId = vocab[unk] else { throw TokenizerError.invalid("WordPiece unk token \(unk) not in the vocab") }
        self.unkId = unkId
        prefix = json["continuing_subword_prefix"]?.string ?? "##"
        maxChars = json["max_input_chars_per_word"]?.int ?? 100
    }

    func encode(_ word: String, into out: inout [Int]) {
        let chars = Array(word.unicodeScalars)
        if chars.count > maxChars { out.append(unkId); return }
        var pieces: [Int] = []
        var start = 0
        while start < chars.count {
            var end = chars.count
            var found: Int? = nil
            while end > start {
                var s = String(String.UnicodeScalarView(chars[start..<end]))
                if start > 0 { s = prefix + s }
                if let id = vocab[s] { found = id; break }
                end -= 1
            }
            guard let id = found else { out.append(unkId); return }   // the whole word is unknown
            pieces.append(id)
            start = end
        }
        out += pieces
    }
}
