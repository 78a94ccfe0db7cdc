import Foundation
import Testing
@testable import Tasks

/// Cosines replayed from the fixture, in the order the evaluator asks for them.
private final class RecordedCosines: TEvalCosines {
    var queue: [[[Float]]]
    init(_ queue: [[[Float]]]) { self.queue = queue }
    func cosines(_ a: [String], _ b: [String]) throws -> [[Float]] {
        guard !queue.isEmpty else { throw SuiteError.scorer("no recorded cosines left") }
        return queue.removeFirst()
    }
}

@Suite("TEvalConformance")
struct TEvalConformanceTests {
    private func floats(_ v: JSONValue?) -> [[Float]]? {
        v?.arrayValue?.map { $0.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [] }
    }

    private func recorded(_ perSample: JSONValue) -> RecordedCosines {
        var q: [[[Float]]] = []
        if let n = floats(perSample["name_cos"]), let a = floats(perSample["args_cos"]) { q = [n, a] }
        if let t = perSample["thought_cos_raw"]?.doubleValue { q = [[[Float(t)]]] }
        return RecordedCosines(q)
    }

    @Test func everyRunMatchesTheReference() throws {
        let root = try FixtureSupport.json("teval", "cases.json")
        let runs = try #require(root["runs"]?.objectValue)
        #expect(runs.count == 8)
        var levels: [TEvalRun: [String: Double]] = [:]
        for (key, run) in runs {
            let r = try #require(TEvalRun(rawValue: key), "unknown run \(key)")
            let excluded = Set((run["samples_excluded_from_dataset_level"]?.arrayValue ?? []).compactMap(\.stringValue))
            var kept: [[String: TNum]] = []
            for (id, sample) in try #require(run["dataset"]?.objectValue) {
                let expected = try #require(run["per_sample"]?[id])
                let s = TEvalSample(id: id, value: sample, prediction: sample["prediction"]?.stringValue ?? "")
                if expected["reference_error"]?.stringValue != nil {
                    #expect(throws: SuiteError.self, "\(key)/\(id): the reference raised") {
                        try TEvalEvaluators.score(r, s, cosines: recorded(expected))
                    }
                    continue
                }
                let got = try TEvalEvaluators.score(r, s, cosines: recorded(expected))
                for (metric, want) in try #require(expected["scores"]?.objectValue) {
                    let g = try #require(got[metric], "\(key)/\(id): metric \(metric) missing")
                    #expect(FixtureSupport.close(g.double, want.doubleValue ?? .nan), "\(key)/\(id): \(metric) \(g) vs \(want)")
                }
                if !excluded.contains(id) { kept.append(got) }
            }
            let level = TEvalAggregate.datasetLevel(r, kept)
            levels[r] = level
            for (metric, want) in try #require(run["dataset_level"]?.objectValue) {
                #expect(FixtureSupport.close(level[metric] ?? -1, want.doubleValue ?? .nan), "\(key): dataset \(metric) \(String(describing: level[metric])) vs \(want)")
            }
        }
        let printed = try #require(root["overall"]?["printed"]?.stringValue)
        let abilities = try #require(TEvalAggregate.abilities(levels))
        #expect(printed.hasSuffix(TEvalAggregate.printed(abilities)), "overall: \(TEvalAggregate.printed(abilities)) vs \(printed)")
    }

    @Test func overallFromTheCombinedFile() throws {
        let input = try #require(try FixtureSupport.json("teval", "cases.json")["overall"]?["input"]?.objectValue)
        var levels: [TEvalRun: [String: Double]] = [:]
        for (k, v) in input { levels[TEvalRun(rawValue: k)!] = Dictionary(uniqueKeysWithValues: (v.objectValue ?? []).compactMap { a, b in b.doubleValue.map { (a, $0) } }) }
        let printed = try #require(try FixtureSupport.json("teval", "cases.json")["overall"]?["printed"]?.stringValue)
        #expect(printed.hasSuffix(TEvalAggregate.printed(try #require(TEvalAggregate.abilities(levels)))))
    }
}
