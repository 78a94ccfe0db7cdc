import Foundation
import Protocol
import Testing
@testable import Tasks

/// Fixture root: `$ACBENCH_FIXTURES`, else `../shared/fixtures` beside the package root.
private func fixtureRoot() -> URL {
    if let env = ProcessInfo.processInfo.environment["ACBENCH_FIXTURES"], !env.isEmpty {
        return URL(fileURLWithPath: env)
    }
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
}

private struct NeedleCases: Decodable {
    struct Case: Decodable {
        var case_id: String
        var model_response: String
        var response_tokens: [String]
        var rouge1_f_x10: Double
        var context_length: Int
        var depth_percent: Double
        var set_recall: Double
    }
    var needle: String
    var retrieval_question: String
    var expected_answer_for_set_recall: String
    var cases: [Case]
    var overall_printed: String
    var overall_mean_of_set_recall: Double
}

private struct PorterStems: Decodable {
    struct Stem: Decodable { var word: String; var stem: String }
    var stems: [Stem]
}

private func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    let url = fixtureRoot().appendingPathComponent("scoring/needle/\(name)")
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

private func prompt(for c: NeedleCases.Case, index: Int, _ f: NeedleCases) -> EvalPrompt {
    EvalPrompt(
        sampleId: c.case_id, index: index, body: .completion(""), maxTokens: NeedleSuite.maxTokens,
        meta: ["needle": f.needle, "answer": f.expected_answer_for_set_recall,
               "context_length": String(c.context_length),
               "depth_percent": NeedleConfig.depthLabel(c.depth_percent)])
}

@Suite("NeedleConformance")
struct NeedleConformanceTests {
    @Test("the defaults are the fixture's needle, question and answer")
    func defaults() throws {
        let f = try load(NeedleCases.self, "cases.json")
        #expect(NeedleConfig.defaultNeedle == f.needle)
        #expect(NeedleConfig.defaultQuestion == f.retrieval_question)
        #expect(NeedleConfig.defaultAnswer == f.expected_answer_for_set_recall)
    }

    @Test("every case: tokens, ROUGE-1 F x10 and set recall, bit for bit")
    func cases() throws {
        let f = try load(NeedleCases.self, "cases.json")
        #expect(f.cases.count == 40)
        let suite = NeedleSuite(), tokenizer = RougeTokenizer(useStemmer: true)
        var passed = 0
        for (i, c) in f.cases.enumerated() {
            let result = try suite.score(prompt: prompt(for: c, index: i, f), output: c.model_response)
            let tokens = tokenizer.tokenize(c.model_response)
            let rouge = result.scores[NeedleSuite.rougeKey], recall = result.scores[NeedleSuite.setRecallKey]
            #expect(tokens == c.response_tokens, "\(c.case_id): tokens \(tokens) != \(c.response_tokens)")
            #expect(rouge == c.rouge1_f_x10, "\(c.case_id): rouge1_f_x10 \(String(describing: rouge)) != \(c.rouge1_f_x10)")
            #expect(recall == c.set_recall, "\(c.case_id): set_recall \(String(describing: recall)) != \(c.set_recall)")
            if tokens == c.response_tokens && rouge == c.rouge1_f_x10 && recall == c.set_recall { passed += 1 }
        }
        #expect(passed == f.cases.count, "\(passed)/\(f.cases.count) needle cases pass")
    }

    @Test("overall score and heat-map cells")
    func overall() throws {
        let f = try load(NeedleCases.self, "cases.json")
        let suite = NeedleSuite()
        let results = try f.cases.enumerated().map { i, c in
            try suite.score(prompt: prompt(for: c, index: i, f), output: c.model_response)
        }
        let agg = suite.aggregate(results.reversed())  // aggregation must not depend on arrival order
        #expect(agg["set_recall"] == f.overall_mean_of_set_recall)
        #expect(String(format: "%.3f", agg["set_recall"] ?? .nan) == f.overall_printed)
        for c in f.cases {
            let key = "set_recall/len\(c.context_length)/depth\(NeedleConfig.depthLabel(c.depth_percent))"
            #expect(agg[key] == c.set_recall, "\(c.case_id): heat-map cell \(key)")
            let rougeKey = "rouge1_f/len\(c.context_length)/depth\(NeedleConfig.depthLabel(c.depth_percent))"
            #expect(agg[rougeKey] == c.rouge1_f_x10, "\(c.case_id): heat-map cell \(rougeKey)")
        }
    }

    @Test("every Porter stem")
    func stems() throws {
        let f = try load(PorterStems.self, "porter_stems.json")
        #expect(f.stems.count == 173)
        let stemmer = PorterStemmer()
        var failures: [String] = []
        for s in f.stems where stemmer.stem(s.word) != s.stem {
            failures.append("\(s.word): \(stemmer.stem(s.word)) != \(s.stem)")
        }
        #expect(failures.isEmpty, "\(failures.count)/\(f.stems.count) stems differ: \(failures)")
    }
}
