import Foundation
import Protocol
import Testing
@testable import Tasks

/// A fake model tokenizer: one token per whitespace-separated word, and every `.` its own
/// token; decoding joins tokens with single spaces (so re-encoding a decoded text is stable).
private actor WordTokenizer: TextTokenizer {
    private var ids: [String: Int] = [".": 0]
    private var words: [String] = ["."]
    private(set) var encodeCalls = 0

    func encode(_ text: String, addSpecialTokens: Bool) -> [Int] {
        encodeCalls += 1
        var out: [Int] = []
        for piece in text.split(whereSeparator: { $0.isWhitespace }) {
            var word = ""
            for ch in piece {
                if ch == "." {
                    if !word.isEmpty { out.append(id(word)); word = "" }
                    out.append(0)
                } else { word.append(ch) }
            }
            if !word.isEmpty { out.append(id(word)) }
        }
        return out
    }

    func decode(_ tokens: [Int]) -> String { tokens.map { words[$0] }.joined(separator: " ") }

    private func id(_ w: String) -> Int {
        if let i = ids[w] { return i }
        ids[w] = words.count; words.append(w)
        return words.count - 1
    }
}

private let needleWords = 22  // "The best … sunny day ." under WordTokenizer (21 words and the period)

private func task(_ params: [String: ParamValue], data: String? = nil, limit: Int? = nil) -> TaskSpec {
    TaskSpec(name: "needle", suite: "needle", data: data, limit: limit, params: params)
}

private let small: [String: ParamValue] = ["context_lengths": .string("256,512,1024"), "depths": .string("0,50,100")]

/// The haystack-with-needle part of a prompt.
private func bookText(_ p: EvalPrompt) -> String {
    guard case .completion(let text) = p.body,
          let open = text.range(of: "<book> "), let close = text.range(of: " </book>.") else { return "" }
    return String(text[open.upperBound..<close.lowerBound])
}

private func makeTempFolder(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("needle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    return dir.path
}

@Suite("Needle")
struct NeedleSuiteTests {
    let suite = NeedleSuite()

    @Test("default grid: 40 lengths × 10 depths as ACBench runs it")
    func defaultGrid() throws {
        let c = try NeedleConfig(params: [:])
        #expect(c.contextLengths == Array(stride(from: 1000, through: 40000, by: 1000)))
        #expect(c.depths == [0, 11, 22, 33, 44, 56, 67, 78, 89, 100])
        #expect(c.buffer == 200 && c.periodTokens == nil)
    }

    @Test("grid size, order, ids, indices and prompt frame")
    func grid() async throws {
        let prompts = try await suite.prompts(task: task(small), shard: 0, shardCount: 1,
                                              context: SuiteContext(dataRoot: "/", tokenizer: WordTokenizer()))
        #expect(prompts.count == 9)
        #expect(prompts.map(\.sampleId) == [256, 512, 1024].flatMap { l in
            ["0", "50", "100"].map { "needle-len\(l)-depth\($0)" } })
        #expect(prompts.map(\.index) == Array(0..<9))
        for p in prompts {
            #expect(p.maxTokens == 30)
            guard case .completion(let text) = p.body else { Issue.record("not a completion prompt"); continue }
            #expect(text.hasPrefix("<|im_start|> This is a very long story book: <book> "))
            #expect(text.hasSuffix(" </book>.\n Based on the content of the book, Question: The best thing to do in San Francisco is: \nAnswer:"))
        }
    }

    @Test("trimming: context plus needle fill length − 200 tokens")
    func trimming() async throws {
        let tok = WordTokenizer()
        let prompts = try await suite.prompts(task: task(small), shard: 0, shardCount: 1,
                                              context: SuiteContext(dataRoot: "/", tokenizer: tok))
        for p in prompts {
            let length = Int(p.meta["context_length"]!)!
            #expect(await tok.encode(bookText(p), addSpecialTokens: false).count == length - 200, "\(p.sampleId)")
            #expect(Int(p.meta["context_tokens"]!)! == length - 200 - needleWords)
        }
    }

    @Test("depth placement: start, sentence break before the depth, end")
    func depthPlacement() async throws {
        let tok = WordTokenizer()
        let prompts = try await suite.prompts(task: task(small), shard: 0, shardCount: 1,
                                              context: SuiteContext(dataRoot: "/", tokenizer: tok))
        let needle = await tok.encode(NeedleConfig.defaultNeedle, addSpecialTokens: false)
        #expect(needle.count == needleWords)
        for p in prompts {
            let tokens = await tok.encode(bookText(p), addSpecialTokens: false)
            let point = Int(p.meta["insertion_point"]!)!, kept = Int(p.meta["context_tokens"]!)!
            #expect(Array(tokens[point..<(point + needle.count)]) == needle, "\(p.sampleId)")
            switch p.meta["depth_percent"] {
            case "0": #expect(point == 0)
            case "100": #expect(point == kept)
            default:
                let target = Int(Double(kept) * 0.5)
                #expect(point > 0 && point <= target)
                #expect(tokens[point - 1] == 0, "needle follows a period")
                let context = Array(tokens[..<point]) + Array(tokens[(point + needle.count)...])
                #expect(!context[point..<target].contains(0), "no period between the needle and the depth")
            }
        }
    }

    @Test("insertion arithmetic follows Python slicing and int()")
    func insertionArithmetic() {
        #expect(NeedleInsertion.pythonPrefix([1, 2, 3, 4, 5], -2) == [1, 2, 3])
        #expect(NeedleInsertion.pythonPrefix([1, 2, 3], -7) == [])
        #expect(NeedleInsertion.pythonPrefix([1, 2, 3], 9) == [1, 2, 3])
        // 10 context tokens, period (0) at index 3: depth 50 → int(10·0.5)=5 → back to 4.
        let ctx = [5, 6, 7, 0, 8, 9, 10, 11, 12, 13]
        let p = NeedleInsertion.place(context: ctx, needle: [99], length: 100, buffer: 0, depth: 50, periodTokens: [0])
        #expect(p.insertionPoint == 4 && p.tokens == [5, 6, 7, 0, 99, 8, 9, 10, 11, 12, 13])
        // No period before the depth → the start.
        let q = NeedleInsertion.place(context: [1, 2, 3, 4], needle: [99], length: 100, buffer: 0, depth: 75, periodTokens: [0])
        #expect(q.insertionPoint == 0 && q.tokens == [99, 1, 2, 3, 4])
        // Too long: shortened to length − buffer − |needle|.
        let r = NeedleInsertion.place(context: ctx, needle: [99, 98], length: 8, buffer: 2, depth: 100, periodTokens: [0])
        #expect(r.tokens == [5, 6, 7, 0, 99, 98])
    }

    @Test("shards split the grid and limit keeps its first probes")
    func shardsAndLimit() async throws {
        let ctx = SuiteContext(dataRoot: "/", tokenizer: WordTokenizer())
        var ids: [String] = []
        for shard in 0..<4 {
            let part = try await suite.prompts(task: task(small), shard: shard, shardCount: 4, context: ctx)
            #expect(part.map(\.index) == Array(0..<part.count))
            ids += part.map(\.sampleId)
        }
        let all = try await suite.prompts(task: task(small), shard: 0, shardCount: 1, context: ctx)
        #expect(ids == all.map(\.sampleId))
        let limited = try await suite.prompts(task: task(small, limit: 4), shard: 0, shardCount: 1, context: ctx)
        #expect(limited.map(\.sampleId) == Array(all.prefix(4).map(\.sampleId)))
    }

    @Test("haystack from a data folder: .txt files in sorted order, universal newlines")
    func dataFolder() async throws {
        let words = (0..<400).map { "w\($0)" }.joined(separator: " ")
        let folder = try makeTempFolder(["b.txt": "Second file. " + words + ".\r\n", "a.txt": "First file.\r\n",
                                         "skip.md": "not a haystack"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = task(["context_lengths": .string("300"), "depths": .string("100")], data: folder)
        let p = try await suite.prompts(task: t, shard: 0, shardCount: 1,
                                        context: SuiteContext(dataRoot: "/", tokenizer: WordTokenizer()))
        #expect(bookText(p[0]).hasPrefix("First file . Second file . w0 w1"))
        #expect(!bookText(p[0]).contains("\r") && !bookText(p[0]).contains("haystack"))
    }

    @Test("a missing data folder is dataMissing naming the path")
    func dataMissing() async throws {
        let t = task(small, data: "no/such/haystack")
        do {
            _ = try await suite.prompts(task: t, shard: 0, shardCount: 1,
                                        context: SuiteContext(dataRoot: "/tmp/acbench-none", tokenizer: WordTokenizer()))
            Issue.record("expected an error")
        } catch let SuiteError.dataMissing(message) {
            #expect(message.contains("/tmp/acbench-none/no/such/haystack"))
        }
    }

    @Test("no tokenizer, unknown or malformed parameters are clear errors")
    func configErrors() async throws {
        await #expect(throws: NeedleSuiteError.tokenizerRequired) {
            _ = try await suite.prompts(task: task(small), shard: 0, shardCount: 1, context: SuiteContext(dataRoot: "/"))
        }
        for bad: [String: ParamValue] in [["context_length": .string("1000")], ["depths": .string("0,x")],
                                          ["depths": .string("101")], ["context_lengths": .string("0")]] {
            #expect(throws: SuiteError.self) { _ = try NeedleConfig(params: bad) }
        }
    }

    @Test("needle, question and period overrides")
    func overrides() async throws {
        let params: [String: ParamValue] = ["context_lengths": .string("400"), "depths": .string("0"),
                                            "needle": .string(" The secret word is plum. "),
                                            "question": .string("The secret word is:"), "answer": .string("plum.")]
        let p = try await suite.prompts(task: task(params), shard: 0, shardCount: 1,
                                        context: SuiteContext(dataRoot: "/", tokenizer: WordTokenizer()))
        #expect(bookText(p[0]).hasPrefix("The secret word is plum ."))
        guard case .completion(let text) = p[0].body else { Issue.record("not a completion"); return }
        #expect(text.hasSuffix("Question: The secret word is:\nAnswer:"))
        let r = try suite.score(prompt: p[0], output: "  plum.\n")
        #expect(r.output == "plum." && r.scores["set_recall"] == 1.0 && r.meta["context_length"] == "400")
        #expect(try NeedleConfig(params: ["model_provider": .string("Mistral")]).periodTokens == [842, 28723])
        #expect(try NeedleConfig(params: ["period_tokens": .string("13, 14")]).periodTokens == [13, 14])
    }

    @Test("generated haystack: seeded, prefix-stable, free of the needle's words")
    func generator() {
        let a = HaystackGenerator(seed: 7).text(minimumWords: 2000)
        #expect(a == HaystackGenerator(seed: 7).text(minimumWords: 2000))
        #expect(HaystackGenerator(seed: 7).text(minimumWords: 5000).hasPrefix(a.dropLast()))
        #expect(a != HaystackGenerator(seed: 8).text(minimumWords: 2000))
        #expect(a.split(whereSeparator: { $0.isWhitespace }).count >= 2000)
        for w in ["sandwich", "Dolores", "Francisco", "sunny"] { #expect(!a.contains(w)) }
        #expect(Set(a.components(separatedBy: ". ")).count > 100, "varied sentences")
    }

    @Test("aggregate: overall means and per-cell keys")
    func aggregate() {
        func r(_ l: Int, _ d: String, _ rouge: Double, _ recall: Double) -> SampleResult {
            SampleResult(sampleId: "needle-len\(l)-depth\(d)", index: 0,
                         scores: ["rouge1_f": rouge, "set_recall": recall],
                         meta: ["context_length": String(l), "depth_percent": d])
        }
        let agg = suite.aggregate([r(1024, "50", 10, 1), r(256, "0", 0, 0), r(1024, "50", 5, 0.5)])
        #expect(agg["rouge1_f"] == 5 && agg["set_recall"] == 0.5)
        #expect(agg["rouge1_f/len1024/depth50"] == 7.5 && agg["set_recall/len1024/depth50"] == 0.75)
        #expect(agg["set_recall/len256/depth0"] == 0)
    }
}
