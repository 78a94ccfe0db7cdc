/// networkx `all_topological_sorts` on a `DiGraph` with nodes `0..<n` added in order and the
/// edges added in the given order (duplicates collapse): Knuth's enumeration, same order.
public enum TopologicalSorts {
    public enum Failure: Error, Equatable { case cycle, edgeOutOfRange(Int, Int) }

    /// The first `limit` orders (all when nil).
    public static func enumerate(n: Int, edges: [(Int, Int)], limit: Int? = nil) throws -> [[Int]] {
        var out = Array(repeating: [Int](), count: n), seen = Set<[Int]>()
        for (u, v) in edges {
            guard (0..<n).contains(u), (0..<n).contains(v) else { throw Failure.edgeOutOfRange(u, v) }
            if seen.insert([u, v]).inserted { out[u].append(v) }
        }
        var count = Array(repeating: 0, count: n)
        for u in 0..<n { for v in out[u] { count[v] += 1 } }
        var d = Deque((0..<n).filter { count[$0] == 0 })
        var bases: [Int] = [], current: [Int] = [], result: [[Int]] = []
        guard n > 0 else { return [[]] }
        while true {
            if current.count == n {
                result.append(current)
                if let limit, result.count >= limit { return result }
                while let q = current.popLast() {
                    for j in out[q] { count[j] += 1 }
                    while let last = d.last, count[last] > 0 { d.removeLast() }
                    d.prepend(q)
                    if d.last == bases.last { bases.removeLast() } else { break }
                }
            } else {
                guard let q = d.removeLast() else { throw Failure.cycle }
                for j in out[q] {
                    count[j] -= 1
                    if count[j] == 0 { d.append(j) }
                }
                current.append(q)
                if bases.count < current.count { bases.append(q) }
            }
            if bases.isEmpty { break }
        }
        return result
    }
}

/// A minimal double-ended queue (append/prepend, remove at the right end).
struct Deque {
    private var front: [Int] = [], back: [Int]   // front is stored reversed
    init(_ items: [Int]) { back = items }
    var last: Int? { back.last ?? front.first }
    mutating func append(_ x: Int) { back.append(x) }
    mutating func prepend(_ x: Int) { front.append(x) }
    @discardableResult mutating func removeLast() -> Int? {
        if let x = back.popLast() { return x }
        guard !front.isEmpty else { return nil }
        return front.removeFirst()
    }
}
