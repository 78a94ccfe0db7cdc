import ArgumentParser
import Kernels

/// `acbench tokenize MODEL_DIR TEXT`: the ids and tokens a model's tokenizer.json gives a text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the token ids and tokens of TEXT under MODEL_DIR's tokenizer.json.",
        discussion: "Special tokens written in the text (e.g. <|im_start|>) are matched as such. The decoded text is printed last.")

    @Argument(help: "HF model folder (or a tokenizer.json file).")
    var modelDir: String

    @Argument(help: "Text to encode.")
    var text: String

    @Flag(name: .customLong("no-special"), help: "Do not add the post-processor's special tokens (BOS/EOS).")
    var noSpecial = false

    @Flag(help: "Print one JSON object: ids, tokens, decoded.")
    var json = false

    func run() throws {
        let tokenizer = try Tokenizer(path: modelDir)
        let ids = tokenizer.encode(text, addSpecialTokens: !noSpecial)
        let tokens = tokenizer.tokens(ids)
        let decoded = tokenizer.decode(ids)
        if json {
            let doc = JSON.object(["ids": .array(ids.map { .int($0) }), "tokens": .array(tokens.map { .string($0) }),
                                   "decoded": .string(decoded), "count": .int(ids.count)])
            print(doc.text)
            return
        }
        for (i, (id, tok)) in zip(ids, tokens).enumerated() { print("\(i)\t\(id)\t\(JSON.quoted(tok))") }
        print("\(ids.count) tokens; decoded: \(JSON.quoted(decoded))")
    }
}
