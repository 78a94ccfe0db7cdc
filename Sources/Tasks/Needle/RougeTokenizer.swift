/// The tokenizer of Google's `rouge-score` 0.1.2 (`DefaultTokenizer`): Python `lower()`, every
/// run of characters outside `[a-z0-9]` becomes one space, split on spaces, tokens longer than
/// three characters replaced by their Porter stem (when stemming), and only `^[a-z0-9]+$` kept.
public struct RougeTokenizer: Sendable {
    /// Whether tokens longer than three characters are Porter-stemmed (`use_stemmer=True`).
    public var useStemmer: Bool
    private let stemmer = PorterStemmer()

    public init(useStemmer: Bool) { self.useStemmer = useStemmer }

    /// The tokens of `text`, in order (repeats kept).
    public func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(current)
            current = .init()
            // Stems of [a-z0-9] tokens stay in [a-z0-9], but keep rouge-score's final filter.
            let word = useStemmer && token.unicodeScalars.count > 3 ? stemmer.stem(token) : token
            if !word.isEmpty, word.unicodeScalars.allSatisfy(Self.isAlphanumeric) { tokens.append(word) }
        }
        for scalar in text.pyLowercased().unicodeScalars {
            if Self.isAlphanumeric(scalar) { current.append(scalar) } else { flush() }
        }
        flush()
        return tokens
    }

    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s)
    }
}
