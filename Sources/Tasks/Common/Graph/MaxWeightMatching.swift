/// networkx 3.x `max_weight_matching(G, maxcardinality=False)` for float weights: Edmonds'
/// blossom algorithm (Galil's O(n³) form, after Van Rantwijk's mwmatching), ported step by step
/// so that ties resolve as in networkx — node order, neighbour order, dict insertion order of
/// `blossomparent`, `blossomdual` and each blossom's best-edge list all follow the reference.
public struct MaxWeightMatching {
    /// Nodes are `0..<n` in the order networkx saw them (first appearance in the edge sequence).
    public let n: Int
    private var neighbors: [[Int]]
    private var weight: [Double]

    /// `edges` in insertion order; a repeated edge updates the weight and keeps its place.
    public init(nodeCount: Int, edges: [(Int, Int, Double)]) {
        n = nodeCount
        neighbors = Array(repeating: [], count: nodeCount)
        weight = Array(repeating: .nan, count: nodeCount * nodeCount)
        for (u, v, w) in edges {
            if weight[u * n + v].isNaN {
                neighbors[u].append(v)
                if u != v { neighbors[v].append(u) }
            }
            weight[u * n + v] = w; weight[v * n + u] = w
        }
    }

    // State of one run (vertices are 0..<n, blossoms n...).
    private var mate: [Int] = [], label: [Int] = [], labeledge: [(Int, Int)?] = []
    private var inblossom: [Int] = [], blossomparent: [Int?] = [], blossombase: [Int] = []
    private var bestedge: [(Int, Int)?] = [], dualvar: [Double] = [], blossomdual: [Int: Double] = [:]
    private var liveBlossoms: [Int] = []   // creation order = dict order of blossomparent/blossomdual
    private var childs: [[Int]] = [], bedges: [[(Int, Int)]] = [], mybestedges: [[(Int, Int)]?] = []
    private var allowedge: [Bool] = [], queue: [Int] = []

    private func isBlossom(_ x: Int) -> Bool { x >= n }

    /// The matching as `mate[v]` (-1 when unmatched).
    public mutating func run() -> [Int] {
        guard n > 0 else { return [] }
        var maxweight = 0.0
        for v in 0..<n { for w in neighbors[v] where v != w && weight[v * n + w] > maxweight { maxweight = weight[v * n + w] } }
        mate = Array(repeating: -1, count: n)
        label = Array(repeating: 0, count: n); labeledge = Array(repeating: nil, count: n)
        inblossom = Array(0..<n); blossomparent = Array(repeating: nil, count: n); blossombase = Array(0..<n)
        bestedge = Array(repeating: nil, count: n); dualvar = Array(repeating: maxweight, count: n)
        childs = Array(repeating: [], count: n); bedges = Array(repeating: [], count: n); mybestedges = Array(repeating: nil, count: n)
        allowedge = Array(repeating: false, count: n * n)

        while true {
            for i in label.indices { label[i] = 0; labeledge[i] = nil; bestedge[i] = nil }
            for b in liveBlossoms { mybestedges[b] = nil }
            for i in allowedge.indices { allowedge[i] = false }
            queue = []
            for v in 0..<n where mate[v] < 0 && label[inblossom[v]] == 0 { assignLabel(v, 1, nil) }
            var augmented = false
            while true {
                while !queue.isEmpty && !augmented {
                    let v = queue.removeLast()
                    for w in neighbors[v] where w != v {
                        let bv = inblossom[v], bw = inblossom[w]
                        if bv == bw { continue }
                        var kslack = 0.0
                        if !allowedge[v * n + w] {
                            kslack = slack(v, w)
                            if kslack <= 0 { allowedge[v * n + w] = true; allowedge[w * n + v] = true }
                        }
                        if allowedge[v * n + w] {
                            if label[bw] == 0 {
                                assignLabel(w, 2, v)
                            } else if label[bw] == 1 {
                                if let base = scanBlossom(v, w) { addBlossom(base, v, w) } else {
                                    augmentMatching(v, w); augmented = true; break
                                }
                            } else if label[w] == 0 {
                                label[w] = 2; labeledge[w] = (v, w)
                            }
                        } else if label[bw] == 1 {
                            if bestedge[bv] == nil || kslack < slack(bestedge[bv]!) { bestedge[bv] = (v, w) }
                        } else if label[w] == 0 {
                            if bestedge[w] == nil || kslack < slack(bestedge[w]!) { bestedge[w] = (v, w) }
                        }
                    }
                }
                if augmented { break }
                var deltatype = 1, delta = dualvar.min()!, deltaedge: (Int, Int)? = nil, deltablossom = -1
                for v in 0..<n where label[inblossom[v]] == 0 {
                    if let e = bestedge[v] {
                        let d = slack(e)
                        if d < delta { delta = d; deltatype = 2; deltaedge = e }
                    }
                }
                for b in 0..<n + 0 where blossomparent[b] == nil && label[b] == 1 {
                    if let e = bestedge[b] { let d = slack(e) / 2.0; if d < delta { delta = d; deltatype = 3; deltaedge = e } }
                }
                for b in liveBlossoms where blossomparent[b] == nil && label[b] == 1 {
                    if let e = bestedge[b] { let d = slack(e) / 2.0; if d < delta { delta = d; deltatype = 3; deltaedge = e } }
                }
                for b in liveBlossoms where blossomparent[b] == nil && label[b] == 2 && blossomdual[b]! < delta {
                    delta = blossomdual[b]!; deltatype = 4; deltablossom = b
                }
                for v in 0..<n {
                    if label[inblossom[v]] == 1 { dualvar[v] -= delta } else if label[inblossom[v]] == 2 { dualvar[v] += delta }
                }
                for b in liveBlossoms where blossomparent[b] == nil {
                    if label[b] == 1 { blossomdual[b]! += delta } else if label[b] == 2 { blossomdual[b]! -= delta }
                }
                if deltatype == 1 { break }
                if deltatype == 2 || deltatype == 3 {
                    let (v, w) = deltaedge!
                    allowedge[v * n + w] = true; allowedge[w * n + v] = true
                    queue.append(v)
                } else {
                    expandBlossom(deltablossom, endstage: false)
                }
            }
            if !augmented { break }
            for b in liveBlossoms where blossomdual[b] != nil {
                if blossomparent[b] == nil && label[b] == 1 && blossomdual[b]! == 0 { expandBlossom(b, endstage: true) }
            }
        }
        return mate
    }

    private func slack(_ v: Int, _ w: Int) -> Double { dualvar[v] + dualvar[w] - 2 * weight[v * n + w] }
    private func slack(_ e: (Int, Int)) -> Double { slack(e.0, e.1) }

    private func leaves(_ b: Int) -> [Int] {
        var out: [Int] = [], stack = childs[b]
        while let t = stack.popLast() { if isBlossom(t) { stack.append(contentsOf: childs[t]) } else { out.append(t) } }
        return out
    }

    private mutating func assignLabel(_ w: Int, _ t: Int, _ v: Int?) {
        let b = inblossom[w]
        label[w] = t; label[b] = t
        let e: (Int, Int)? = v.map { ($0, w) }
        labeledge[w] = e; labeledge[b] = e
        bestedge[w] = nil; bestedge[b] = nil
        if t == 1 {
            if isBlossom(b) { queue.append(contentsOf: leaves(b)) } else { queue.append(b) }
        } else if t == 2 {
            let base = blossombase[b]
            assignLabel(mate[base], 1, base)
        }
    }

    private mutating func scanBlossom(_ v0: Int, _ w0: Int) -> Int? {
        var path: [Int] = [], base: Int? = nil, v: Int? = v0, w: Int? = w0
        while let vv = v {
            var b = inblossom[vv]
            if label[b] & 4 != 0 { base = blossombase[b]; break }
            path.append(b); label[b] = 5
            if let le = labeledge[b] {
                b = inblossom[le.0]
                v = labeledge[b]!.0
            } else { v = nil }
            if w != nil { swap(&v, &w) }
        }
        for b in path { label[b] = 1 }
        return base
    }

    private mutating func newBlossom() -> Int {
        let b = label.count
        label.append(0); labeledge.append(nil); inblossom.append(b); blossomparent.append(nil); blossombase.append(-1)
        bestedge.append(nil); childs.append([]); bedges.append([]); mybestedges.append(nil)
        return b
    }

    private mutating func addBlossom(_ base: Int, _ v0: Int, _ w0: Int) {
        let bb = inblossom[base]
        var bv = inblossom[v0], bw = inblossom[w0], v = v0, w = w0
        let b = newBlossom()
        blossombase[b] = base; blossomparent[b] = nil; blossomparent[bb] = b
        liveBlossoms.append(b)
        var path: [Int] = [], edgs: [(Int, Int)] = [(v, w)]
        while bv != bb {
            blossomparent[bv] = b; path.append(bv); edgs.append(labeledge[bv]!)
            v = labeledge[bv]!.0; bv = inblossom[v]
        }
        path.append(bb); path.reverse(); edgs.reverse()
        while bw != bb {
            blossomparent[bw] = b; path.append(bw)
            let le = labeledge[bw]!
            edgs.append((le.1, le.0))
            w = le.0; bw = inblossom[w]
        }
        childs[b] = path; bedges[b] = edgs
        label[b] = 1; labeledge[b] = labeledge[bb]; blossomdual[b] = 0
        for leaf in leaves(b) {
            if label[inblossom[leaf]] == 2 { queue.append(leaf) }
            inblossom[leaf] = b
        }
        var bestedgeto: [Int: (Int, Int)] = [:], bestOrder: [Int] = []
        for sub in path {
            var nblist: [(Int, Int)]
            if isBlossom(sub) {
                if let mine = mybestedges[sub] { nblist = mine; mybestedges[sub] = nil } else {
                    nblist = leaves(sub).flatMap { x in neighbors[x].filter { $0 != x }.map { (x, $0) } }
                }
            } else {
                nblist = neighbors[sub].filter { $0 != sub }.map { (sub, $0) }
            }
            for k in nblist {
                var (i, j) = k
                if inblossom[j] == b { swap(&i, &j) }
                let bj = inblossom[j]
                if bj != b && label[bj] == 1 && (bestedgeto[bj] == nil || slack(i, j) < slack(bestedgeto[bj]!)) {
                    if bestedgeto[bj] == nil { bestOrder.append(bj) }
                    bestedgeto[bj] = k
                }
            }
            bestedge[sub] = nil
        }
        let mine = bestOrder.map { bestedgeto[$0]! }
        mybestedges[b] = mine
        var best: (Int, Int)? = nil, bestSlack = 0.0
        for k in mine {
            let s = slack(k)
            if best == nil || s < bestSlack { best = k; bestSlack = s }
        }
        bestedge[b] = best
    }

    private mutating func expandBlossom(_ b: Int, endstage: Bool) {
        for s in childs[b] {
            blossomparent[s] = nil
            if isBlossom(s) {
                if endstage && blossomdual[s]! == 0 { expandBlossom(s, endstage: endstage) } else {
                    for v in leaves(s) { inblossom[v] = s }
                }
            } else { inblossom[s] = s }
        }
        if !endstage && label[b] == 2 {
            let entrychild = inblossom[labeledge[b]!.1]
            let count = childs[b].count
            var j = childs[b].firstIndex(of: entrychild)!, jstep: Int
            if j & 1 != 0 { j -= count; jstep = 1 } else { jstep = -1 }
            var (v, w) = labeledge[b]!
            func at(_ k: Int) -> Int { ((k % count) + count) % count }
            while j != 0 {
                let (p, q) = jstep == 1 ? bedges[b][at(j)] : { let e = bedges[b][at(j - 1)]; return (e.1, e.0) }()
                label[w] = 0; label[q] = 0
                assignLabel(w, 2, v)
                allowedge[p * n + q] = true; allowedge[q * n + p] = true
                j += jstep
                if jstep == 1 { (v, w) = bedges[b][at(j)] } else { let e = bedges[b][at(j - 1)]; (w, v) = (e.0, e.1) }
                allowedge[v * n + w] = true; allowedge[w * n + v] = true
                j += jstep
            }
            let bw = childs[b][at(j)]
            label[w] = 2; label[bw] = 2
            labeledge[w] = (v, w); labeledge[bw] = (v, w)
            bestedge[bw] = nil
            j += jstep
            while childs[b][at(j)] != entrychild {
                let bv = childs[b][at(j)]
                if label[bv] == 1 { j += jstep; continue }
                var leaf = bv
                if isBlossom(bv) {
                    let ls = leaves(bv)
                    leaf = ls.first { label[$0] != 0 } ?? ls.last!
                }
                if label[leaf] != 0 {
                    label[leaf] = 0
                    label[mate[blossombase[bv]]] = 0
                    assignLabel(leaf, 2, labeledge[leaf]!.0)
                }
                j += jstep
            }
        }
        label[b] = 0; labeledge[b] = nil; bestedge[b] = nil
        blossomparent[b] = nil; blossomdual[b] = nil
        liveBlossoms.removeAll { $0 == b }
    }

    private mutating func augmentBlossom(_ b: Int, _ v: Int) {
        var t = v
        while blossomparent[t] != b { t = blossomparent[t]! }
        if isBlossom(t) { augmentBlossom(t, v) }
        let count = childs[b].count
        func at(_ k: Int) -> Int { ((k % count) + count) % count }
        let i = childs[b].firstIndex(of: t)!
        var j = i, jstep: Int
        if i & 1 != 0 { j -= count; jstep = 1 } else { jstep = -1 }
        while j != 0 {
            j += jstep
            t = childs[b][at(j)]
            let (w, x) = jstep == 1 ? bedges[b][at(j)] : { let e = bedges[b][at(j - 1)]; return (e.1, e.0) }()
            if isBlossom(t) { augmentBlossom(t, w) }
            j += jstep
            t = childs[b][at(j)]
            if isBlossom(t) { augmentBlossom(t, x) }
            mate[w] = x; mate[x] = w
        }
        childs[b] = Array(childs[b][i...] + childs[b][..<i])
        bedges[b] = Array(bedges[b][i...] + bedges[b][..<i])
        blossombase[b] = blossombase[childs[b][0]]
    }

    private mutating func augmentMatching(_ v: Int, _ w: Int) {
        for (s0, j0) in [(v, w), (w, v)] {
            var s = s0, j = j0
            while true {
                let bs = inblossom[s]
                if isBlossom(bs) { augmentBlossom(bs, s) }
                mate[s] = j
                guard let le = labeledge[bs] else { break }
                let t = le.0, bt = inblossom[t]
                (s, j) = labeledge[bt]!
                if isBlossom(bt) { augmentBlossom(bt, j) }
                mate[j] = s
            }
        }
    }
}
