import Testing
@testable import Kernels

/// Naive reference: op(A)·op(B).
func naiveMatmul(_ a: Matrix, transA: Bool = false, _ b: Matrix, transB: Bool = false) -> Matrix {
    let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols, n = transB ? b.rows : b.cols
    return Matrix(rows: m, cols: n) { i, j in
        var s: Double = 0
        for p in 0..<k { s += Double(transA ? a[p, i] : a[i, p]) * Double(transB ? b[j, p] : b[p, j]) }
        return Float(s)
    }
}

func randomSPD(_ n: Int, seed: UInt64) -> Matrix {
    var g = LCG(state: seed)
    let x = g.matrix(n + 5, n)
    var h = naiveMatmul(x, transA: true, x)
    for i in 0..<n { h[i, i] += 0.5 }
    return h
}

@Suite("Linalg")
struct LinalgTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaive(transA: Bool, transB: Bool) {
        var g = LCG(state: 1)
        let (m, k, n) = (7, 13, 5)
        let a = transA ? g.matrix(k, m) : g.matrix(m, k)
        let b = transB ? g.matrix(n, k) : g.matrix(k, n)
        let c = matmul(a, transA: transA, b, transB: transB)
        #expect(c.maxAbsDiff(naiveMatmul(a, transA: transA, b, transB: transB)) < 1e-5)
        // alpha/beta accumulate.
        var acc = Matrix(rows: m, cols: n) { _, _ in 1 }
        gemm(a, transA: transA, b, transB: transB, alpha: 2, beta: 1, into: &acc)
        let expected = Matrix(rows: m, cols: n) { i, j in 1 + 2 * c[i, j] }
        #expect(acc.maxAbsDiff(expected) < 1e-5)
    }

    @Test func syrkMatchesNaive() {
        var g = LCG(state: 2)
        let x = g.matrix(11, 6)
        #expect(syrk(x, trans: true, alpha: 0.5).maxAbsDiff(
            Matrix(rows: 6, cols: 6) { i, j in 0.5 * naiveMatmul(x, transA: true, x)[i, j] }) < 1e-5)
        #expect(syrk(x, trans: false).maxAbsDiff(naiveMatmul(x, x, transB: true)) < 1e-5)
    }

    @Test func choleskyFactors() throws {
        let a = randomSPD(9, seed: 3)
        let u = try cholesky(a, .upper)
        let l = try cholesky(a, .lower)
        for i in 0..<9 { for j in 0..<i { #expect(u[i, j] == 0); #expect(l[j, i] == 0) } }
        #expect(naiveMatmul(u, transA: true, u).maxAbsDiff(a) < 1e-4)
        #expect(naiveMatmul(l, l, transB: true).maxAbsDiff(a) < 1e-4)
        #expect(l.maxAbsDiff(u.transposed) < 1e-5)
    }

    @Test func inverseOfSPD() throws {
        let a = randomSPD(12, seed: 4)
        let inv = try inverseSPD(a)
        #expect(naiveMatmul(a, inv).maxAbsDiff(.identity(12)) < 1e-3)
        #expect(inv.maxAbsDiff(inv.transposed) == 0)
    }

    @Test func choleskyRejectsIndefinite() {
        let a = Matrix(rows: 2, cols: 2, data: [1, 2, 2, 1])
        #expect(throws: LinalgError.notPositiveDefinite(minor: 2)) { try cholesky(a) }
        #expect(throws: LinalgError.self) { try cholesky(Matrix(rows: 2, cols: 3)) }
    }

    @Test func eigenDecomposition() throws {
        let a = randomSPD(10, seed: 5)
        let e = try symmetricEigen(a)
        let v = try #require(e.vectors)
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
        let d = Matrix(rows: 10, cols: 10) { $0 == $1 ? e.values[$0] : 0 }
        #expect(naiveMatmul(naiveMatmul(v, d), v, transB: true).maxAbsDiff(a) < 1e-3)
        #expect(naiveMatmul(v, transA: true, v).maxAbsDiff(.identity(10)) < 1e-5)
        let only = try symmetricEigen(a, vectors: false)
        #expect(maxAbsDiff(only.values, e.values) < 1e-3)
        let dv = try symmetricEigenvalues(float64: a.data.map(Double.init), n: 10)
        #expect(maxAbsDiff(dv.map(Float.init), e.values) < 1e-3)
    }

    @Test(arguments: [(6, 4), (4, 6), (5, 5)])
    func svdReconstructs(m: Int, n: Int) throws {
        var g = LCG(state: UInt64(m * 10 + n))
        let a = g.matrix(m, n)
        let r = try svd(a)
        let u = try #require(r.u), vt = try #require(r.vt)
        let k = min(m, n)
        #expect(u.rows == m && u.cols == k && vt.rows == k && vt.cols == n)
        #expect(zip(r.s, r.s.dropFirst()).allSatisfy { $0 >= $1 })
        let us = Matrix(rows: m, cols: k) { i, j in u[i, j] * r.s[j] }
        #expect(naiveMatmul(us, vt).maxAbsDiff(a) < 1e-5)
        #expect(naiveMatmul(u, transA: true, u).maxAbsDiff(.identity(k)) < 1e-5)
        let only = try svd(a, vectors: false)
        #expect(maxAbsDiff(only.s, r.s) < 1e-5)
    }

    @Test func threadsAreExplicit() {
        let before = BLASThreads.current
        BLASThreads.set(1)
        #expect(BLASThreads.current == 1)
        BLASThreads.set(before)
    }
}

@Suite("KernelsJSON")
struct JSONTests {
    @Test func parsesValues() throws {
        let j = try JSON.parse(#"{"a": [1, -2.5e1, true, null, "x\u00e9\ud83d\ude00\n"], "b": {}}"#)
        #expect(j["a"]?.array?[0] == .int(1))
        #expect(j["a"]?.array?[1].double == -25)
        #expect(j["a"]?.array?[2] == .bool(true))
        #expect(j["a"]?.array?[3] == .null)
        #expect(j["a"]?.array?[4].string == "xé😀\n")
        #expect(j["b"]?.object?.isEmpty == true)
    }

    @Test func rejectsBadDocuments() {
        for bad in ["{", "[1,]", "{\"a\" 1}", "\"abc", "1 2", "{\"a\":1,\"a\":2}"] {
            #expect(throws: JSONError.self, "\(bad)") { try JSON.parse(bad, rejectDuplicateKeys: true) }
        }
    }
}
