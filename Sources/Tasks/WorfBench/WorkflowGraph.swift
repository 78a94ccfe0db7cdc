/// A parsed workflow (`workflow_to_graph_list` of WorfBench's `node_eval.py`, spec §1.3):
/// node texts between `START` and `END`, and edges as node indices (unvalidated, duplicates kept).
public struct WorkflowGraph: Sendable, Equatable {
    public var nodes: [String]
    public var edges: [(Int, Int)]

    public static func == (a: WorkflowGraph, b: WorkflowGraph) -> Bool {
        a.nodes.count == b.nodes.count && zip(a.nodes, b.nodes).allSatisfy { $0.pyEquals($1) }
            && a.edges.count == b.edges.count && zip(a.edges, b.edges).allSatisfy { $0 == $1 }
    }

    public init(nodes: [String], edges: [(Int, Int)]) { self.nodes = nodes; self.edges = edges }

    /// The parsed graph, or nil when the reference finds it unparseable (no `Node`, no edge).
    public static func parse(_ text: String) -> WorkflowGraph? {
        guard text.pyContains("Node") else { return nil }
        let s = Array(text.unicodeScalars)
        var nodes = ["START"]
        // `\d+[:.] (.+)`, non-overlapping, left to right.
        var i = 0
        while i < s.count {
            if s[i].isPythonDecimal {
                var j = i
                while j < s.count, s[j].isPythonDecimal { j += 1 }
                if j + 2 < s.count, s[j] == ":" || s[j] == ".", s[j + 1] == " ", s[j + 2] != "\n" {
                    var e = j + 2
                    while e < s.count, s[e] != "\n" { e += 1 }
                    nodes.append(String(String.UnicodeScalarView(s[(j + 2)..<e])).pyStripped())
                    i = e
                    continue
                }
            }
            i += 1
        }
        nodes.append("END")
        let edges = edgeMatches(s, endIndex: nodes.count - 1)
        guard !edges.isEmpty else { return nil }
        return WorkflowGraph(nodes: nodes, edges: edges)
    }

    /// `\(\s*(\d+|START)\s*,\s*(\d+|END)\s*\)` everywhere in the text.
    private static func edgeMatches(_ s: [Unicode.Scalar], endIndex: Int) -> [(Int, Int)] {
        func spaces(_ k: inout Int) { while k < s.count, s[k].isPythonSpace { k += 1 } }
        func word(_ k: inout Int, _ w: String) -> Bool {
            let ws = Array(w.unicodeScalars)
            guard k + ws.count <= s.count, s[k..<(k + ws.count)].elementsEqual(ws) else { return false }
            k += ws.count; return true
        }
        func endpoint(_ k: inout Int, _ keyword: String, _ keywordValue: Int) -> Int? {
            let start = k
            while k < s.count, s[k].isPythonDecimal { k += 1 }
            if k > start { return PyNum.int(s[start..<k]) ?? Int.max }
            return word(&k, keyword) ? keywordValue : nil
        }
        var out: [(Int, Int)] = [], i = 0
        while i < s.count {
            guard s[i] == "(" else { i += 1; continue }
            var k = i + 1
            spaces(&k)
            if let a = endpoint(&k, "START", 0) {
                spaces(&k)
                if k < s.count, s[k] == "," {
                    k += 1; spaces(&k)
                    if let b = endpoint(&k, "END", endIndex) {
                        spaces(&k)
                        if k < s.count, s[k] == ")" { out.append((a, b)); i = k + 1; continue }
                    }
                }
            }
            i += 1
        }
        return out
    }
}
