import Tasks

/// The served model's tokenizer through vLLM's `/tokenize` and `/detokenize` routes.
public struct ServerTokenizer: TextTokenizer {
    public let client: OpenAIClient
    /// Whether `encode` adds the tokenizer's special tokens (BOS etc.), like Hugging Face's default.
    public let addSpecialTokens: Bool

    public init(client: OpenAIClient, addSpecialTokens: Bool = false) {
        self.client = client; self.addSpecialTokens = addSpecialTokens
    }

    public func encode(_ text: String) async throws -> [Int] {
        try await client.tokenize(text, addSpecialTokens: addSpecialTokens)
    }

    public func decode(_ ids: [Int]) async throws -> String {
        try await client.detokenize(ids)
    }
}
