import Foundation
import Testing
@testable import Tasks

/// Embeddings looked up from the fixture's recorded vectors (no encoder needed).
struct LookupEmbedder: SentenceEmbedder {
    let vectors: [String: [Float]]
    func embed(_ sentences: [String]) throws -> [[Float]] {
        try sentences.map { s in
            guard let v = vectors[s] else { throw SuiteError.scorer("no recorded embedding for \(s.debugDescription)") }
            return v
        }
    }
}

@Suite("WorfBenchConformance")
struct WorfBenchConformanceTests {
    private func ints(_ v: JSONValue?) -> [Int] { v?.arrayValue?.compactMap(\.intValue) ?? [] }
    private func matrix(_ v: JSONValue?) -> [[Double]] { v?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? [] }
    private func graph(_ v: JSONValue?) -> WorkflowGraph? {
        guard let v, v != .null else { return nil }
        return WorkflowGraph(nodes: v["nodes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                             edges: (v["edges"]?.arrayValue ?? []).map { e in let p = ints(e); return (p[0], p[1]) })
    }
    private func prf(_ v: JSONValue?) -> PRF? {
        guard let v, v != .null, let p = v["precision"]?.doubleValue, let r = v["recall"]?.doubleValue,
              let f = v["f1_score"]?.doubleValue else { return nil }
        return PRF(precision: p, recall: r, f1: f)
    }
    private func close(_ a: PRF?, _ b: PRF?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return FixtureSupport.close(a.precision, b.precision) && FixtureSupport.close(a.recall, b.recall) && FixtureSupport.close(a.f1, b.f1)
    }

    @Test func matchingPortReproducesNetworkx() throws {
        let cases = try #require(try FixtureSupport.json("worfbench", "synthetic_matching.json").arrayValue)
        #expect(!cases.isEmpty)
        for (n, c) in cases.enumerated() {
            let got = WorfBenchScorer.match(matrix(c["weights"]), threshold: try #require(c["threshold"]?.doubleValue))
            #expect(got == ints(c["mapping"]), "synthetic_matching[\(n)]: \(got) vs \(ints(c["mapping"]))")
        }
    }

    @Test func topologicalSortsReproduceNetworkx() throws {
        let cases = try #require(try FixtureSupport.json("worfbench", "synthetic_dag_sorts.json").arrayValue)
        for (k, c) in cases.enumerated() {
            let n = try #require(c["n"]?.intValue)
            let edges = (c["edges"]?.arrayValue ?? []).map { e in let p = ints(e); return (p[0], p[1]) }
            let all = try TopologicalSorts.enumerate(n: n, edges: edges)
            #expect(all.count == c["sorts_total"]?.intValue, "synthetic_dag_sorts[\(k)]: total \(all.count)")
            #expect(Array(all.prefix(20)) == (c["sorts_first20"]?.arrayValue ?? []).map(ints), "synthetic_dag_sorts[\(k)]: first 20")
        }
    }

    @Test func everyGoldParsesAndSortsAsTheReference() throws {
        var golds: [String: [JSONValue]] = [:]
        var checked = 0
        for item in try FixtureSupport.jsonLines("worfbench", "gold_parsed_and_sorts.jsonl") {
            let subset = try #require(item["subset"]?.stringValue), index = try #require(item["index"]?.intValue)
            if golds[subset] == nil {
                golds[subset] = try WorfBenchGold.load(file: FixtureSupport.path("worfbench", "gold/\(subset)/graph_eval.json")).map { .string($0.workflow) }
            }
            let text = try #require(golds[subset]?[index].stringValue)
            let parsed = WorkflowGraph.parse(text)
            #expect(parsed == graph(item), "\(subset)[\(index)]: parse")
            if let p = parsed, p.nodes.count < 10, let total = item["sorts_total"]?.intValue {
                let all = try TopologicalSorts.enumerate(n: p.nodes.count, edges: p.edges, limit: 20)
                #expect(all == (item["sorts_first20"]?.arrayValue ?? []).map(ints), "\(subset)[\(index)]: first 20 sorts")
                #expect(total >= all.count)
            }
            checked += 1
        }
        #expect(checked == 1423)
    }

    @Test func everyCaseScoresAsTheReference() throws {
        let cases = try FixtureSupport.jsonLines("worfbench", "cases.jsonl")
        #expect(cases.count >= 60)
        for c in cases {
            let id = try #require(c["case_id"]?.stringValue)
            let pred = WorkflowGraph.parse(try #require(c["pred_text"]?.stringValue))
            #expect(pred == graph(c["pred_graph"]), "\(id): prediction parse")
            #expect(WorkflowGraph.parse(goldText(c)) == graph(c["gold_graph"]), "\(id): gold parse")
            guard let pred, let gold = graph(c["gold_graph"]) else {
                #expect(c["skipped"] == .bool(true), "\(id): unparseable but not skipped")
                continue
            }
            let calls = c["node_calls"]?.arrayValue ?? []
            let columns = ints(c["node_sim_gold_indices"]), sim = matrix(c["node_sim"])
            let recorded: SimilarityProvider = { _, _, call in
                let order = ints(calls[call]["gold_order"])
                if c["node_sim_varies_per_call"] == .bool(true) { return matrix(calls[call]["sim"]) }
                return sim.map { row in order.map { row[columns.firstIndex(of: $0)!] } }
            }
            let orders = try WorfBenchScorer.goldOrders(gold)
            #expect(orders == calls.map { ints($0["gold_order"]) }, "\(id): gold orders")
            for (k, call) in calls.enumerated() where k < orders.count {
                let m = WorfBenchScorer.match(try recorded([], [], k), threshold: WorfBenchScorer.nodeThreshold)
                #expect(m == ints(call["mapping"]), "\(id): call \(k) mapping \(m)")
            }
            if let error = c["node_error"]?.stringValue {
                #expect(throws: SuiteError.self, "\(id): reference raised \(error)") {
                    try WorfBenchScorer.nodeScore(pred: pred, gold: gold, similarity: recorded)
                }
            } else {
                let got = try WorfBenchScorer.nodeScore(pred: pred, gold: gold, similarity: recorded)
                #expect(close(got, prf(c["node_mode"])), "\(id): node mode \(got)")
            }
            let graphSim = matrix(c["graph_sim"])
            if c["graph_error"]?.stringValue == nil, let want = prf(c["graph_mode"]) {
                #expect(WorfBenchScorer.match(graphSim, threshold: WorfBenchScorer.nodeThreshold) == ints(c["graph_mapping"]), "\(id): graph mapping")
                let got = try WorfBenchScorer.graphScore(pred: pred, gold: gold, similarity: { _, _, _ in graphSim })
                #expect(close(got, want), "\(id): graph mode \(got)")
            }
        }
    }

    private func goldText(_ c: JSONValue) -> String {
        guard let subset = c["subset"]?.stringValue, let index = c["gold_index"]?.intValue,
              let golds = try? WorfBenchGold.load(file: FixtureSupport.path("worfbench", "gold/\(subset)/graph_eval.json")) else { return "" }
        return golds[index].workflow
    }

    @Test func aggregateSumsAsTheReference() throws {
        let a = try FixtureSupport.json("worfbench", "aggregate.json")
        let items = try #require(a["per_item"]?.arrayValue)
        for mode in ["node", "graph"] {
            let scores = items.map { prf($0[mode]) }
            let got = WorfBenchAggregate.mean(scores, count: items.count)
            #expect(close(got, prf(a["result"]?[mode])), "aggregate \(mode): \(got)")
        }
    }

    @Test func lookupEmbedderGivesRecordedCosines() throws {
        let e = try FixtureSupport.json("worfbench", "embeddings.json")
        var vectors: [String: [Float]] = [:]
        for (text, v) in try #require(e["full_vectors"]?.objectValue) { vectors[text] = v.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } }
        let embedder = LookupEmbedder(vectors: vectors)
        for s in try #require(e["sentences"]?.arrayValue) {
            guard let text = s["text"]?.stringValue, vectors[text] != nil else { continue }
            let v = try embedder.embed([text])[0]
            let first8 = (s["embedding_first8"]?.arrayValue ?? []).compactMap(\.doubleValue)
            #expect(zip(v.prefix(8), first8).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "embedding of \(text.prefix(30))")
            let selfCos = CosineSimilarity.matrix([v], [v])[0][0]
            #expect(abs(selfCos - 1) < 1e-5)
        }
    }
}
