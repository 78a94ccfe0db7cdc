import Foundation
import Protocol
import Testing
@testable import Tasks

@Suite("LongBenchConformance")
struct LongBenchConformanceTests {
    private func segmenter() throws -> JiebaSegmenter { try LongBenchScoring.segmenter(folder: FixtureSupport.jiebaFolder) }

    private struct Case {
        let id: String, dataset: LongBenchDataset, metric: String, pred: String, answers: [String]
        let allClasses: [String]?, firstLine: Bool, effective: String, perAnswer: [Double], score: Double
    }

    private func cases() throws -> [String: Case] {
        var out: [String: Case] = [:]
        for v in try FixtureSupport.jsonLines("longbench", "cases.jsonl") {
            let r = RecordReader(file: "cases.jsonl", location: "case", value: v)
            let id = try r.string("case_id")
            let dataset = try #require(LongBenchDataset.named(try r.string("dataset")), "\(id): unknown dataset")
            out[id] = Case(
                id: id, dataset: dataset, metric: try r.string("metric"), pred: try r.string("pred"),
                answers: try r.strings("answers"), allClasses: try r.optionalStrings("all_classes"),
                firstLine: v["first_line_rule"] == .bool(true), effective: try r.string("effective_pred"),
                perAnswer: try #require(v["per_answer_scores"]?.arrayValue).compactMap(\.doubleValue),
                score: try #require(v["score"]?.doubleValue))
        }
        return out
    }

    @Test func everyCaseScoresAsTheReference() throws {
        let seg = try segmenter()
        let all = try cases()
        #expect(all.count >= 98)
        for c in all.values.sorted(by: { $0.id < $1.id }) {
            #expect(c.dataset.metric.rawValue == c.metric, "\(c.id): metric of \(c.dataset.name)")
            #expect(c.dataset.isFewShot == c.firstLine, "\(c.id): first-line rule")
            let effective = c.dataset.isFewShot ? LongBenchScoring.firstLine(c.pred) : c.pred
            #expect(effective.pyEquals(c.effective), "\(c.id): effective prediction \(effective.debugDescription)")
            for (answer, expected) in zip(c.answers, c.perAnswer) {
                let got = try c.dataset.metric.score(prediction: effective, groundTruth: answer,
                                                     allClasses: c.allClasses, segmenter: seg)
                #expect(FixtureSupport.close(got, expected), "\(c.id): per-answer \(got) vs \(expected) for \(answer.debugDescription)")
            }
            let score = try LongBenchScoring.sampleScore(dataset: c.dataset, prediction: c.pred, answers: c.answers,
                                                         allClasses: c.allClasses, segmenter: seg)
            #expect(FixtureSupport.close(score, c.score), "\(c.id): score \(score) vs \(c.score)")
        }
    }

    @Test func aggregatesMatchTheReference() throws {
        let seg = try segmenter()
        let all = try cases()
        let aggregates = try #require(try FixtureSupport.json("longbench", "aggregates.json").arrayValue)
        #expect(!aggregates.isEmpty)
        for a in aggregates {
            let name = try #require(a["dataset"]?.stringValue)
            let ids = try #require(a["case_ids"]?.arrayValue).compactMap(\.stringValue)
            let classes = a["all_classes_used"]?.arrayValue?.compactMap(\.stringValue)
            let scores = try ids.map { id -> Double in
                let c = try #require(all[id], "\(name): case \(id) missing")
                return try LongBenchScoring.sampleScore(dataset: c.dataset, prediction: c.pred, answers: c.answers,
                                                        allClasses: classes ?? c.allClasses, segmenter: seg)
            }
            if a["kind"] == .string("scorer") {
                let got = LongBenchScoring.datasetScore(scores)
                #expect(got == a["result"]?.doubleValue, "\(name): scorer \(got) vs \(String(describing: a["result"]))")
            } else {
                let lengths = try #require(a["lengths"]?.arrayValue).compactMap(\.intValue)
                let got = LongBenchScoring.lengthBuckets(scores: scores, lengths: lengths)
                for (bucket, expected) in try #require(a["result"]?.objectValue) {
                    let want = expected.doubleValue ?? .nan
                    #expect(FixtureSupport.close(got[bucket] ?? -1, want), "\(name) \(bucket): \(String(describing: got[bucket])) vs \(want)")
                }
            }
        }
    }

    @Test func suiteAggregateMatchesTheScorer() throws {
        let seg = try segmenter()
        let all = try cases()
        let aggregates = try #require(try FixtureSupport.json("longbench", "aggregates.json").arrayValue)
        var results: [SampleResult] = [], expected: [String: Double] = [:]
        for a in aggregates where a["kind"] == .string("scorer") {
            let name = try #require(a["dataset"]?.stringValue)
            let classes = a["all_classes_used"]?.arrayValue?.compactMap(\.stringValue)
            for id in try #require(a["case_ids"]?.arrayValue).compactMap(\.stringValue) {
                let c = try #require(all[id])
                let s = try LongBenchScoring.sampleScore(dataset: c.dataset, prediction: c.pred, answers: c.answers,
                                                         allClasses: classes ?? c.allClasses, segmenter: seg)
                results.append(SampleResult(sampleId: id, index: results.count, scores: ["score": s], meta: ["dataset": name, "length": "100"]))
            }
            expected[name] = a["result"]?.doubleValue
        }
        let got = LongBenchSuite().aggregate(results)
        for (name, value) in expected { #expect(got[name] == value, "\(name): \(String(describing: got[name])) vs \(value)") }
    }

    @Test func truncationKeepsBothEnds() throws {
        let items = try #require(try FixtureSupport.json("longbench", "truncation.json").arrayValue)
        for (n, t) in items.enumerated() {
            let ids = try #require(t["ids"]?.arrayValue).compactMap(\.intValue)
            let maxLength = try #require(t["max_length"]?.intValue)
            let kept = try #require(t["kept_segments"]?.arrayValue).map { $0.arrayValue?.compactMap(\.intValue) ?? [] }
            if let (head, tail) = LongBenchScoring.truncationSegments(ids, maxLength: maxLength) {
                #expect(t["half"]?.intValue == maxLength / 2, "truncation \(n): half")
                #expect([head, tail] == kept, "truncation \(n): \([head, tail]) vs \(kept)")
            } else {
                #expect(t["half"] == .null && kept == [ids], "truncation \(n): expected no truncation")
            }
        }
    }

    @Test func configMatchesTheRelease() throws {
        let prompts = try #require(try FixtureSupport.json("longbench", "config/dataset2prompt.json").objectValue)
        let maxlen = try #require(try FixtureSupport.json("longbench", "config/dataset2maxlen.json").objectValue)
        #expect(prompts.map(\.0) == LongBenchDataset.all.map(\.name))
        for (name, template) in prompts {
            let d = try #require(LongBenchDataset.named(name))
            #expect(template.stringValue.map { $0.pyEquals(d.prompt) } == true, "\(name): prompt")
            #expect(maxlen.first { $0.0 == name }?.1.intValue == d.maxTokens, "\(name): max length")
        }
    }
}
