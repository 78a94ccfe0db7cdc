// acbench-bench-worfbench GOLD_DIR [OUT_TSV]: scores every WorfBench gold item of the 7 subsets
// against four deterministic perturbations of its gold workflow (node and graph mode), with a
// hashed bag-of-characters embedder (float64 cosines rounded to 1e-6) standing in for all-mpnet-base-v2 (the same one
// scripts/bench/worfbench_reference.py uses), and prints items, seconds and items/s. Figures are
// reported, never asserted (scripts/bench/worfbench-scoring).
import FoundationEssentials
import Tasks
#if canImport(Glibc)
import Glibc
#endif

/// 64 buckets of lower-cased code points plus 0.5 in bucket 0 (so empty texts get a vector).
struct HashedCharacters: SentenceEmbedder {
    func embed(_ sentences: [String]) throws -> [[Float]] {
        sentences.map { s in
            var v = [Float](repeating: 0, count: 64)
            for c in s.lowercased().unicodeScalars { v[Int(c.value % 64)] += 1 }
            v[0] += 0.5
            return v
        }
    }
}

/// The perturbation `k` (0–3) of a gold workflow text, identical to the Python side.
func perturb(_ gold: String, _ k: Int) -> String {
    switch k {
    case 0: return gold
    case 1: return gold.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("2: ") }.joined(separator: "\n")
    case 2: return gold.replacingOccurrences(of: "a", with: "e")
    default:
        let lines = gold.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let nodes = lines.indices.filter { lines[$0].first?.isNumber == true && lines[$0].contains(": ") }
        var out = lines
        if nodes.count >= 2 {   // swap the texts of the first two nodes
            let a = lines[nodes[0]], b = lines[nodes[1]]
            let ta = a[a.range(of: ": ")!.upperBound...], tb = b[b.range(of: ": ")!.upperBound...]
            out[nodes[0]] = String(a[..<a.range(of: ": ")!.upperBound] + tb)
            out[nodes[1]] = String(b[..<b.range(of: ": ")!.upperBound] + ta)
        }
        return out.joined(separator: "\n")
    }
}

func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }

let args = CommandLine.arguments
guard args.count >= 2 else { print("usage: acbench-bench-worfbench GOLD_DIR [OUT_TSV]"); exit(2) }
var items: [(String, Int, String)] = []
for subset in WorfBenchSuite.subsets {
    let golds = try WorfBenchGold.load(file: "\(args[1])/\(subset)/graph_eval.json")
    for (i, g) in golds.enumerated() { items.append((subset, i, g.workflow)) }
}
/// Cosines in float64 rounded to 1e-6, so that the two implementations' different summation orders
/// cannot flip a near-tie of the matching (a flip there changes the LIS, and the comparison would
/// measure float noise instead of the algorithm).
let embedder = HashedCharacters()
let similarity: SimilarityProvider = { pred, gold, _ in
    let a = try embedder.embed(pred).map { $0.map(Double.init) }, b = try embedder.embed(gold).map { $0.map(Double.init) }
    func unit(_ v: [Double]) -> [Double] { let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n } }
    let ua = a.map(unit), ub = b.map(unit)
    return ua.map { x in ub.map { y in (zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } * 1e6).rounded() / 1e6 } }
}
var lines: [String] = [], nodeSum = 0.0, graphSum = 0.0, scored = 0, errors = 0
let start = now()
for (subset, i, goldText) in items {
    guard let gold = WorkflowGraph.parse(goldText) else { continue }
    for k in 0..<4 {
        var node = "skip", graph = "skip"
        if let pred = WorkflowGraph.parse(perturb(goldText, k)) {
            if let r = try? WorfBenchScorer.nodeScore(pred: pred, gold: gold, similarity: similarity) { node = "\(r.f1)"; nodeSum += r.f1 } else { node = "error"; errors += 1 }
            if let r = try? WorfBenchScorer.graphScore(pred: pred, gold: gold, similarity: similarity) { graph = "\(r.f1)"; graphSum += r.f1 } else { graph = "error" }
            scored += 1
        }
        lines.append("\(subset)\t\(i)\t\(k)\t\(node)\t\(graph)")
    }
}
let seconds = now() - start
if args.count >= 3 { _ = FileManager.default.createFile(atPath: args[2], contents: Data((lines.joined(separator: "\n") + "\n").utf8)) }
print("swift items=\(items.count) predictions=\(lines.count) scored=\(scored) node_errors=\(errors) seconds=\(seconds) predictions_per_s=\(Double(lines.count) / seconds) node_f1_sum=\(nodeSum) graph_f1_sum=\(graphSum)")
