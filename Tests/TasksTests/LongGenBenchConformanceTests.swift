import Foundation
import Testing
@testable import Tasks

@Suite("LongGenBenchConformance")
struct LongGenBenchConformanceTests {
    @Test func everyCaseExtractsAndScoresAsTheReference() throws {
        let root = try FixtureSupport.json("longgenbench", "cases.json")
        let cases = try #require(root["cases"]?.arrayValue)
        #expect(!cases.isEmpty)
        var perDataset: [String: [Double]] = [:]
        for c in cases {
            let r = RecordReader(file: "longgenbench/cases.json", location: "case", value: c)
            let id = try r.string("case_id"), dataset = try r.string("dataset")
            let answers = try r.strings("answers"), pred = try r.string("pred")
            let wanted = try r.strings("predicted_extracted")
            if dataset == "gsm8k" {
                let expected = try #require(c["expected_extracted"]?.arrayValue).map(\.stringValue)
                #expect(answers.map(LongGenBenchScoring.expectedGSM8K) == expected, "\(id): gold extraction")
                #expect(LongGenBenchScoring.predictedGSM8K(pred) == wanted, "\(id): predicted extraction")
            } else {
                #expect(LongGenBenchScoring.predictedMMLU(pred) == wanted, "\(id): predicted extraction")
            }
            let acc = LongGenBenchSuite.accuracy(subset: dataset, answers: answers, output: pred)
            let want = try #require(c["accuracy"]?.doubleValue)
            #expect(FixtureSupport.close(acc, want), "\(id): accuracy \(acc) vs \(want)")
            perDataset[dataset, default: []].append(acc)
        }
        for (dataset, want) in try #require(root["dataset_scores"]?.objectValue) {
            let got = LongGenBenchScoring.datasetScore(perDataset[dataset] ?? [])
            #expect(got == want.doubleValue, "\(dataset): \(got) vs \(String(describing: want.doubleValue))")
        }
    }
}
