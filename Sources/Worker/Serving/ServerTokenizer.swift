import Tasks

/// The served model's tokenizer through vLLM's `/tokenize` and `/detokenize` routes.
public struct ServerTokenizer: TextTokenizer {
    public let client: OpenAIClient

    public init(client: OpenAIClient) { self.client = client }

    public func encode(_ text: String, addSpecialTokens: Bool) async throws -> [Int] {
        try await client.tokenize(text, addSpecialTokens: addSpecialTokens)
    }

    public func decode(_ ids: [Int]) async throws -> String {
        try await client.detokenize(ids)
    }
}
