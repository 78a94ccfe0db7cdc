/// Errors loading a tokenizer.json.
public enum TokenizerError: Error, CustomStringConvertible {
    case invalid(String)
    case unsupported(String)
    public var description: String {
        switch self {
        case .invalid(let m): return "tokenizer.json: invalid: \(m)"
        case .unsupported(let m): return "tokenizer.json: unsupported \(m)"
        }
    }
}

/// A tokenizer built from an HF `tokenizer.json` (kernels.md §2): added tokens → normalizer →
/// pre-tokenizer → model (byte-level BPE, SentencePiece BPE with byte fallback, or WordPiece) →
/// post-processor, and the decoder for the way back.
public final class Tokenizer: Sendable {
    enum Model: Sendable {
        case bpe(BPEModel)
        case wordPiece(WordPieceModel)
    }

    public let addedTokens: [AddedToken]
    let splitter: AddedTokenSplitter
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: Model
    let postProcessor: PostProcessor
    let decoder: TokenDecoder?
    /// id → token string (model vocab and added tokens).
    let idToToken: [Int: String]
    let specialIds: Set<Int>

    /// Loads `tokenizer.json` from a file or a model directory.
    public convenience init(path: String) throws {
        let file = path.hasSuffix(".json") ? path : path + "/tokenizer.json"
        try self.init(json: try readJSONFile(file))
    }

    public init(json: JSON) throws {
        var added: [AddedToken] = []
        for t in json["added_tokens"]?.array ?? [] {
            guard let id = t["id"]?.int, let content = t["content"]?.string else { throw TokenizerError.invalid("added token without id/content") }
            added.append(AddedToken(id: id, content: content, special: t["special"]?.bool ?? false,
                                    lstrip: t["lstrip"]?.bool ?? false, rstrip: t["rstrip"]?.bool ?? false,
                                    singleWord: t["single_word"]?.bool ?? false, normalized: t["normalized"]?.bool ?? false))
        }
        addedTokens = added
        splitter = AddedTokenSplitter(added)
        normalizer = try json["normalizer"].flatMap { try Normalizer(json: $0) }
        preTokenizer = try json["pre_tokenizer"].flatMap { try PreTokenizer(json: $0) }
        postProcessor = try PostProcessor(json: json["post_processor"])
        decoder = try TokenDecoder(json: json["decoder"])
        guard let m = json["model"] else { throw TokenizerError.invalid("no model") }
        let vocab: [String: Int]
        switch m["type"]?.string ?? "BPE" {
        case "BPE":
            let bpe = try BPEModel(json: m)
            model = .bpe(bpe); vocab = bpe.vocab
        case "WordPiece":
            let wp = try WordPieceModel(json: m)
            model = .wordPiece(wp); vocab = wp.vocab
        case let other: throw TokenizerError.unsupported("model \(other)")
        }
        var inverse: [Int: String] = [:]
        inverse.reserveCapacity(vocab.count + added.count)
        for (k, v) in vocab { inverse[v] = k }
        for t in added { inverse[t.id] = t.content }
        idToToken = inverse
        specialIds = Set(added.filter(\.special).map(\.id))
    }

    /// Number of distinct ids (vocab plus added tokens).
    public var vocabSize: Int { (idToToken.keys.max() ?? -1) + 1 }

    /// The id of a token string (vocab or added token).
    public func id(of token: String) -> Int? {
        if let t = addedTokens.first(where: { $0.content == token }) { return t.id }
        switch model {
        case .bpe(let m): return m.vocab[token]
        case .wordPiece(let m): return m.vocab[token]
        }
    }

    /// The token string of `id`.
    public func token(_ id: Int) -> String? { idToToken[id] }

    /// The normalizer's output (identity when the file has none).
    public func normalize(_ text: String) -> String { normalizer?.apply(text) ?? text }

    /// The pre-tokenizer's pieces of already-normalized text.
    public func preTokenize(_ normalized: String) -> [String] {
        guard let preTokenizer else { return normalized.isEmpty ? [] : [normalized] }
        return preTokenizer.apply([normalized]).filter { !$0.isEmpty }
    }

    /// Token ids of `text`, with the post-processor's special tokens when `addSpecialTokens`.
    /// With `maxLength`, the sequence is truncated so that the result (specials included) fits.
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int? = nil) -> [Int] {
        var ids: [Int] = []
        for segment in splitter.split(text) {
            switch segment {
            case .token(let id): ids.append(id)
            case .text(let t):
                for piece in preTokenize(normalize(String(t))) {
                    switch model {
                    case .bpe(let m): m.encode(piece, into: &ids)
                    case .wordPiece(let m): m.encode(piece, into: &ids)
                    }
                }
            }
        }
        if let maxLength {
            let room = max(0, maxLength - (addSpecialTokens ? postProcessor.addedCount : 0))
            if ids.count > room { ids.removeLast(ids.count - room) }
        }
        return addSpecialTokens ? postProcessor.apply(ids) : ids
    }

    /// Token strings of `ids`.
    public func tokens(_ ids: [Int]) -> [String] { ids.map { idToToken[$0] ?? "" } }

    /// Text of `ids` through the decoder; special tokens are kept unless `skipSpecialTokens`.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        let kept = skipSpecialTokens ? ids.filter { !specialIds.contains($0) } : ids
        let toks = tokens(kept)
        guard let decoder else { return toks.joined(separator: " ") }
        return decoder.apply(toks).joined()
    }
}
