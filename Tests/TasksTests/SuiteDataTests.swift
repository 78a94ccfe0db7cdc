import Foundation
import Protocol
import Testing
@testable import Tasks

/// A deterministic bag-of-characters embedder, so suites can be scored without the encoder.
struct CharacterEmbedder: SentenceEmbedder {
    func embed(_ sentences: [String]) throws -> [[Float]] {
        sentences.map { s in
            var v = [Float](repeating: 0, count: 64)
            for c in s.lowercased().unicodeScalars { v[Int(c.value % 64)] += 1 }
            v[0] += 0.5
            return v
        }
    }
}

private func tempDir() -> String {
    let d = NSTemporaryDirectory() + "acbench-suite-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

@Suite("SuiteData")
struct SuiteDataTests {
    @Test func generatedVariantsRunEverySuiteEndToEnd() async throws {
        let embedder = CharacterEmbedder()
        let suites: [(String, any SingleTurnSuite, TaskSpec)] = [
            ("longbench", LongBenchSuite(), TaskSpec(name: "lb", suite: "longbench", params: ["variant": .string("generated"), "max_length": .int(0)])),
            ("longgenbench", LongGenBenchSuite(), TaskSpec(name: "lg", suite: "longgenbench", params: ["variant": .string("generated")])),
            ("worfbench", WorfBenchSuite(embedder: embedder), TaskSpec(name: "wb", suite: "worfbench", params: ["variant": .string("generated")])),
            ("teval", TEvalSuite(embedder: embedder), TaskSpec(name: "te", suite: "teval", params: ["variant": .string("generated")])),
        ]
        for (name, suite, task) in suites {
            let prompts = try await suite.prompts(task: task, shard: 0, shardCount: 1, context: SuiteContext(dataRoot: tempDir()))
            #expect(!prompts.isEmpty, "\(name): prompts")
            #expect(Set(prompts.map(\.sampleId)).count == prompts.count, "\(name): unique ids")
            let results = try prompts.map { p in try suite.score(prompt: p, output: p.meta["gold"] ?? "The answer is 5.") }
            let agg = suite.aggregate(results)
            #expect(!agg.isEmpty, "\(name): aggregate")
            #expect(SuiteRegistry.singleTurn(name) != nil, "\(name) registered")
        }
    }

    @Test func goldWorkflowScoresPerfectlyOnShortGolds() async throws {
        let suite = WorfBenchSuite(embedder: CharacterEmbedder())
        let task = TaskSpec(name: "wb", suite: "worfbench", subset: "os", params: ["variant": .string("generated")])
        for p in try await suite.prompts(task: task, shard: 0, shardCount: 1, context: SuiteContext(dataRoot: tempDir())) {
            let r = try suite.score(prompt: p, output: p.meta["gold"]!)
            #expect(r.scores["f1"] == 1.0, "\(p.sampleId): \(r.scores)")
        }
    }

    @Test func missingDataSaysWhichFetchToRun() async throws {
        let root = tempDir()
        let cases: [(String, any SingleTurnSuite)] = [("longbench", LongBenchSuite()), ("longgenbench", LongGenBenchSuite()),
                                                       ("worfbench", WorfBenchSuite()), ("teval", TEvalSuite())]
        for (name, suite) in cases {
            do {
                _ = try await suite.prompts(task: TaskSpec(name: name, suite: name, params: ["max_length": .int(0)]), shard: 0, shardCount: 1,
                                            context: SuiteContext(dataRoot: root))
                Issue.record("\(name): expected data missing")
            } catch let e as SuiteError {
                #expect(e.description.hasPrefix("data missing: run acbench data fetch \(name)"), "\(name): \(e)")
            }
        }
    }

    @Test func malformedLongBenchLineNamesFileLineAndField() throws {
        let file = tempDir() + "/hotpotqa.jsonl"
        let good = #"{"input": "q", "context": "c", "answers": ["a"], "length": 5, "all_classes": null, "_id": "x"}"#
        let bad = #"{"input": "q", "context": "c", "answers": "a", "length": 5, "all_classes": null, "_id": "y"}"#
        try (good + "\n" + bad + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: SuiteError.badData("\(file): line 2: field 'answers': expected a list of strings, found a string")) {
            try LongBenchRecord.load(file: file)
        }
        try (good + "\n{not json\n").write(toFile: file, atomically: true, encoding: .utf8)
        do { _ = try LongBenchRecord.load(file: file); Issue.record("expected an error") } catch let e as SuiteError {
            #expect(e.description.contains("\(file):2: invalid JSON"), "\(e)")
        }
    }

    @Test func malformedWorfBenchAndTEvalFilesNameTheRecord() throws {
        let dir = tempDir()
        let gold = dir + "/graph_eval.json"
        try #"[{"conversations": [{"role": "system", "content": "s"}, {"role": "user"}, {"role": "assistant", "content": "a"}]}]"#
            .write(toFile: gold, atomically: true, encoding: .utf8)
        #expect(throws: SuiteError.badData("\(gold): item 0 conversations[1]: field 'content': expected a value, found nothing")) {
            try WorfBenchGold.load(file: gold)
        }
        let teval = dir + "/plan_json_v2.json"
        try #"{"s1": {"origin_prompt": [], "ground_truth": []}, "s2": {"origin_prompt": "x", "ground_truth": []}}"#
            .write(toFile: teval, atomically: true, encoding: .utf8)
        #expect(throws: SuiteError.badData("\(teval): sample \"s2\": field 'origin_prompt': expected a list of messages, found a string")) {
            try TEvalSuite.load(file: teval)
        }
        let lg = dir + "/gsm8k_30.jsonl"
        try #"{"prompt": "p", "questions": ["q"], "answers": [3]}"#.write(toFile: lg, atomically: true, encoding: .utf8)
        #expect((try? LongGenBenchRecord.load(file: lg))?.first?.answers == ["3"])
        try #"{"prompt": "p", "answers": ["a"]}"#.write(toFile: lg, atomically: true, encoding: .utf8)
        #expect(throws: SuiteError.badData("\(lg): line 1: field 'questions': expected a value, found nothing")) {
            try LongGenBenchRecord.load(file: lg)
        }
    }
}
