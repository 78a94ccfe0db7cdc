import Testing
@testable import Kernels

/// Ids identical to HF tokenizers on every case in fixtures/kernels/tokenizer.
@Suite("TokenizerConformance")
struct TokenizerConformanceTests {
    static let smollmDir = fixture("tokenizer/smollm2")
    static let mpnetDir = fixture("tokenizer/mpnet")

    @Test func smollm2Cases() throws {
        let tok = try Tokenizer(path: Self.smollmDir)
        let cases = try #require(try readJSON(Self.smollmDir + "/cases.json")["cases"]?.array)
        #expect(cases.count == 60)
        for c in cases {
            let name = c["name"]?.string ?? "?"
            let text = try #require(c["text"]?.string)
            let expected = try #require(c["ids"]?.array).compactMap(\.int)
            let ids = tok.encode(text)
            #expect(ids == expected, "case \(name): ids differ\n got      \(tok.tokens(ids))\n expected \(tok.tokens(expected))")
            #expect(tok.decode(expected) == c["decoded"]?.string, "case \(name): decoded text differs")
        }
    }

    @Test func smollm2DigitsVariantCases() throws {
        let doc = try readJSON(Self.smollmDir + "/digits_variant_cases.json")
        guard case .object(var file) = try readJSON(Self.smollmDir + "/tokenizer.json") else { throw TestFailure("tokenizer.json") }
        file["pre_tokenizer"] = try #require(doc["pre_tokenizer_override"])
        let tok = try Tokenizer(json: .object(file))
        let cases = try #require(doc["cases"]?.array)
        #expect(cases.count == 5)
        for c in cases {
            let name = c["name"]?.string ?? "?"
            let expected = try #require(c["ids"]?.array).compactMap(\.int)
            let ids = tok.encode(try #require(c["text"]?.string))
            #expect(ids == expected, "digits case \(name): got \(tok.tokens(ids)), expected \(tok.tokens(expected))")
        }
    }

    @Test func mpnetCases() throws {
        let tok = try Tokenizer(path: Self.mpnetDir)
        let doc = try readJSON(Self.mpnetDir + "/cases.json")
        let cases = try #require(doc["cases"]?.array)
        #expect(cases.count == 30)
        for c in cases {
            let name = c["name"]?.string ?? "?"
            let text = try #require(c["text"]?.string)
            let normalized = tok.normalize(text)
            #expect(normalized == c["normalized"]?.string, "case \(name): normalized differs: \(Array(normalized.unicodeScalars))")
            let pre = try #require(c["pre_tokens"]?.array).compactMap(\.string)
            #expect(tok.preTokenize(normalized) == pre, "case \(name): pre-tokens differ")
            let expected = try #require(c["ids"]?.array).compactMap(\.int)
            let ids = tok.encode(text)
            #expect(ids == expected, "case \(name): ids differ\n got      \(tok.tokens(ids))\n expected \(tok.tokens(expected))")
            let noSpecial = try #require(c["ids_no_special"]?.array).compactMap(\.int)
            #expect(tok.encode(text, addSpecialTokens: false) == noSpecial, "case \(name): ids without specials differ")
            #expect(tok.decode(expected) == c["decoded"]?.string, "case \(name): decoded differs: \(tok.decode(expected))")
        }
    }

    @Test func mpnetTruncationAndPadding() throws {
        let tok = try Tokenizer(path: Self.mpnetDir)
        let doc = try readJSON(Self.mpnetDir + "/cases.json")
        let long = try #require(doc["long_case"])
        let text = try #require(long["text"]?.string)
        #expect(tok.encode(text) == long["ids_full"]?.array?.compactMap(\.int), "long_case: full ids differ")
        let maxLen = try #require(long["max_seq_length"]?.int)
        #expect(tok.encode(text, maxLength: maxLen) == long["ids_truncated"]?.array?.compactMap(\.int), "long_case: truncated ids differ")
        let file128 = try #require(long["file_defaults_128"])
        let ids128 = try #require(file128["ids"]?.array).compactMap(\.int)
        let mask128 = try #require(file128["attention_mask"]?.array).compactMap(\.int)
        let truncated = tok.encode(text, maxLength: 128)
        #expect(truncated + Array(repeating: 1, count: 128 - truncated.count) == ids128, "long_case: 128 defaults differ")
        #expect(mask128 == Array(repeating: 1, count: truncated.count) + Array(repeating: 0, count: 128 - truncated.count))
        let pad = try #require(doc["file_defaults_padding_case"])
        let padIds = try #require(pad["ids"]?.array).compactMap(\.int)
        let padMask = try #require(pad["attention_mask"]?.array).compactMap(\.int)
        let enc = tok.encode(try #require(pad["text"]?.string), maxLength: 128)
        #expect(enc + Array(repeating: 1, count: 128 - enc.count) == padIds, "file_defaults_padding_case: ids differ")
        #expect(padMask.filter { $0 == 1 }.count == enc.count, "file_defaults_padding_case: mask differs")
    }
}

@Suite("TokenizerPieces")
struct TokenizerPieceTests {
    @Test func gpt2RegexSplits() {
        let split = { (s: String) in gpt2Split(s[...]).map(String.init) }
        #expect(split("a          b") == ["a", String(repeating: " ", count: 9), " b"])
        #expect(split("I'm DON'T 42x") == ["I", "'m", " DON", "'", "T", " 42", "x"])
        #expect(split("hi!!  \n") == ["hi", "!!", "  \n"])
        #expect(split(" ") == [" "])
    }

    @Test func sentencePieceByteFallback() throws {
        // A minimal Llama-2 style tokenizer: Prepend/Replace normalizer, byte fallback, <s> template.
        var vocab: [String: JSON] = ["<unk>": .int(0), "<s>": .int(1), "</s>": .int(2), "▁": .int(3), "h": .int(4),
                                     "i": .int(5), "▁h": .int(6), "▁hi": .int(7)]
        for b in 0..<256 { vocab[String(format2: b)] = .int(8 + b) }
        let json = JSON.object([
            "added_tokens": .array([.object(["id": .int(1), "content": .string("<s>"), "special": .bool(true)])]),
            "normalizer": .object(["type": .string("Sequence"), "normalizers": .array([
                .object(["type": .string("Prepend"), "prepend": .string("▁")]),
                .object(["type": .string("Replace"), "pattern": .object(["String": .string(" ")]), "content": .string("▁")])])]),
            "post_processor": .object(["type": .string("TemplateProcessing"),
                "single": .array([.object(["SpecialToken": .object(["id": .string("<s>")])]), .object(["Sequence": .object(["id": .string("A")])])]),
                "special_tokens": .object(["<s>": .object(["ids": .array([.int(1)])])])]),
            "decoder": .object(["type": .string("Sequence"), "decoders": .array([
                .object(["type": .string("Replace"), "pattern": .object(["String": .string("▁")]), "content": .string(" ")]),
                .object(["type": .string("ByteFallback")]), .object(["type": .string("Fuse")]),
                .object(["type": .string("Strip"), "content": .string(" "), "start": .int(1), "stop": .int(0)])])]),
            "model": .object(["type": .string("BPE"), "byte_fallback": .bool(true), "unk_token": .string("<unk>"),
                              "vocab": .object(vocab), "merges": .array([.string("▁ h"), .string("▁h i")])]),
        ])
        let tok = try Tokenizer(json: json)
        let ids = tok.encode("hi é")
        #expect(ids == [1, 7, 3, 8 + 0xC3, 8 + 0xA9])
        #expect(tok.decode(ids, skipSpecialTokens: true) == "hi é")
    }
}

extension String {
    init(format2 b: Int) {
        let h = String(b, radix: 16, uppercase: true)
        self = "<0x" + (h.count == 1 ? "0" + h : h) + ">"
    }
}
