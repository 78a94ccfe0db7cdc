/// Precision, recall and F1 of one item (float64, the reference's arithmetic).
public struct PRF: Sendable, Equatable {
    public var precision: Double, recall: Double, f1: Double
    public static let zero = PRF(precision: 0, recall: 0, f1: 0)
    public init(precision: Double, recall: Double, f1: Double) { self.precision = precision; self.recall = recall; self.f1 = f1 }

    /// `P = k/len(pred)`, `R = k/len(gold)`, `F1 = 2PR/(P+R)`.
    init(matched k: Int, predicted: Int, gold: Int) {
        let r = Double(k) / Double(gold), p = Double(k) / Double(predicted)
        self.init(precision: p, recall: r, f1: 2 * p * r / (p + r))
    }
}

/// Cosine similarities (raw, before clipping) of prediction rows × gold columns for one call.
public typealias SimilarityProvider = (_ pred: [String], _ gold: [String], _ call: Int) throws -> [[Double]]

/// WorfBench's `graph_evaluator.py`: node matching, node-level and graph-level scores (spec §1.5–1.7).
public enum WorfBenchScorer {
    public static let nodeThreshold = 0.6

    /// `match_node`: edges `(i, str(j))` for `S[i][j] > threshold` (S clipped at 0), maximum-weight
    /// matching; `m[i]` is the matched column or -1.
    public static func match(_ sim: [[Double]], threshold: Double) -> [Int] {
        let rows = sim.count, cols = sim.first?.count ?? 0
        var ids: [Int: Int] = [:], edges: [(Int, Int, Double)] = []   // key: row i → i, column j → rows + j
        func id(_ key: Int) -> Int { if let v = ids[key] { return v }; let v = ids.count; ids[key] = v; return v }
        for i in 0..<rows {
            for j in 0..<cols {
                let s = max(sim[i][j], 0)
                if s > threshold { let a = id(i), b = id(rows + j); edges.append((a, b, s)) }
            }
        }
        var matcher = MaxWeightMatching(nodeCount: ids.count, edges: edges)
        let mate = matcher.run()
        var back = Array(repeating: 0, count: ids.count)
        for (key, v) in ids { back[v] = key }
        var mapping = Array(repeating: -1, count: rows)
        for (v, m) in mate.enumerated() where m >= 0 && back[v] < rows { mapping[back[v]] = back[m] - rows }
        return mapping
    }

    /// Longest chain of increasing matched positions (`dp` floor 1).
    public static func lis(_ m: [Int]) -> Int {
        var dp = Array(repeating: 1, count: m.count)
        for i in m.indices { for j in 0..<i where m[i] != -1 && m[j] != -1 && m[i] > m[j] { dp[i] = max(dp[i], dp[j] + 1) } }
        return dp.max() ?? 1
    }

    /// The gold orderings node mode tries: golds with ≥ 10 nodes (START/END included) only their
    /// node list as is; otherwise the first 20 topological orders without START/END texts.
    public static func goldOrders(_ gold: WorkflowGraph) throws -> [[Int]] {
        if gold.nodes.count >= 10 { return [Array(gold.nodes.indices)] }
        do {
            return try TopologicalSorts.enumerate(n: gold.nodes.count, edges: gold.edges, limit: 20).map { order in
                order.filter { !gold.nodes[$0].pyEquals("START") && !gold.nodes[$0].pyEquals("END") }
            }
        } catch {
            throw SuiteError.scorer("worfbench: the gold graph has a cycle or an edge outside its nodes (the reference crashes)")
        }
    }

    /// `t_eval_nodes`: the best F1 over gold orderings (strictly larger wins), each scored by
    /// matching and LIS. Throws where the reference raises (empty prediction).
    public static func nodeScore(pred: WorkflowGraph, gold: WorkflowGraph, similarity: SimilarityProvider) throws -> PRF {
        let predTexts = pred.nodes.filter { !$0.pyEquals("START") && !$0.pyEquals("END") }
        guard !predTexts.isEmpty else {
            throw SuiteError.scorer("worfbench: the prediction has no node besides START/END (the reference raises in cos_sim)")
        }
        var best = PRF.zero
        for (call, order) in try goldOrders(gold).enumerated() {
            let goldTexts = order.map { gold.nodes[$0] }
            let m = match(try similarity(predTexts, goldTexts, call), threshold: nodeThreshold)
            let r = PRF(matched: lis(m), predicted: predTexts.count, gold: goldTexts.count)
            if r.f1 > best.f1 { best = r }
        }
        return best
    }

    /// `t_eval_graph`: largest connected components over the public edges of the matched nodes.
    public static func graphScore(pred: WorkflowGraph, gold: WorkflowGraph, similarity: SimilarityProvider) throws -> PRF {
        let m = match(try similarity(pred.nodes, gold.nodes, 0), threshold: nodeThreshold)
        let mp = Set(m.indices.filter { m[$0] != -1 }), mg = Set(m.filter { $0 != -1 })
        let goldEdges = Set(gold.edges.filter { mg.contains($0.0) && mg.contains($0.1) }.map { [$0.0, $0.1] })
        let public_ = pred.edges.filter { mp.contains($0.0) && mp.contains($0.1) && goldEdges.contains([$0.0, $0.1]) }
        guard !mp.isEmpty else { throw SuiteError.scorer("worfbench: no node matched in graph mode (the reference raises on max of nothing)") }
        let p = Double(largestComponent(mp, public_)) / Double(pred.nodes.count)
        let r = Double(largestComponent(mg, public_)) / Double(gold.nodes.count)
        return PRF(precision: p, recall: r, f1: 2 * p * r / (p + r))
    }

    /// Size of the largest connected component of `nodes` plus `edges` (edge ends join the graph).
    static func largestComponent(_ nodes: Set<Int>, _ edges: [(Int, Int)]) -> Int {
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int { var x = x; while let p = parent[x], p != x { x = p }; return x }
        for v in nodes { parent[v] = v }
        for (a, b) in edges {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[ra] = rb }
        }
        var sizes: [Int: Int] = [:]
        for v in parent.keys { sizes[find(v), default: 0] += 1 }
        return sizes.values.max() ?? 0
    }

    /// Similarities from sentence embeddings: `cos_sim` in float32, stored as float64.
    public static func embeddingSimilarity(_ embedder: any SentenceEmbedder) -> SimilarityProvider {
        { pred, gold, _ in
            let all = try embedder.embed(pred + gold)
            guard all.count == pred.count + gold.count else { throw SuiteError.scorer("sentence encoder returned \(all.count) vectors for \(pred.count + gold.count) sentences") }
            return CosineSimilarity.matrix(Array(all[..<pred.count]), Array(all[pred.count...])).map { $0.map(Double.init) }
        }
    }
}
