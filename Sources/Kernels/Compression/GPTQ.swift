/// GPTQ options (IST-DASLab `fasterquant` / AutoGPTQ defaults, kernels.md §3.3).
public struct GPTQOptions: Sendable, Codable, Equatable {
    public var bits = 4
    /// Columns per group; −1 for one set of parameters per row.
    public var groupSize = 128
    public var symmetric = true
    public var blockSize = 128
    public var percDamp: Float = 0.01
    /// Process columns by descending `diag(H)` (`desc_act`).
    public var actOrder = false
    /// One quantizer per original group computed before the loop (AutoGPTQ `static_groups`).
    public var staticGroups = false

    public init(bits: Int = 4, groupSize: Int = 128, symmetric: Bool = true, blockSize: Int = 128,
                percDamp: Float = 0.01, actOrder: Bool = false, staticGroups: Bool = false) {
        self.bits = bits; self.groupSize = groupSize; self.symmetric = symmetric; self.blockSize = blockSize
        self.percDamp = percDamp; self.actOrder = actOrder; self.staticGroups = staticGroups
    }
}

/// Result of GPTQ on one linear.
public struct GPTQResult: Sendable {
    public var quantized: QuantizedWeight
    /// Processing order of the input columns (identity without act-order).
    public var perm: [Int]
    /// Σ of the per-column losses, the `error` the reference prints.
    public var error: Double
}

/// GPTQ on `w [out, in]` with Hessian `h [in, in]`: quantize column by column, spreading each column's
/// error over the later columns through the upper Cholesky factor of `H⁻¹`; lazy block updates of 128
/// columns go through one sgemm.
public func gptqQuantize(_ wIn: Matrix, hessian hIn: Matrix, options o: GPTQOptions = GPTQOptions()) throws -> GPTQResult {
    let rows = wIn.rows, cols = wIn.cols
    guard hIn.rows == cols && hIn.cols == cols else {
        throw CompressionError.badShape("GPTQ: Hessian is \(hIn.rows)×\(hIn.cols), weight has \(cols) inputs")
    }
    let g = try resolvedGroupSize(o.groupSize, cols: cols)
    let grouped = g < cols
    var w = wIn, h = hIn
    // Per-row parameters from the whole (unmodified) row, used when there are no groups.
    var rowParams = [QuantParams]()
    func paramsOf(_ m: Matrix, row r: Int, cols range: Range<Int>) -> QuantParams {
        m.data.withUnsafeBufferPointer { p in
            gptqParams(UnsafeBufferPointer(rebasing: p[(r * cols + range.lowerBound)..<(r * cols + range.upperBound)]),
                       bits: o.bits, symmetric: o.symmetric)
        }
    }
    if !grouped { rowParams = (0..<rows).map { paramsOf(w, row: $0, cols: 0..<cols) } }
    // Dead columns.
    for j in 0..<cols where h[j, j] == 0 {
        h[j, j] = 1
        for r in 0..<rows { w[r, j] = 0 }
    }
    var staticParams: [[QuantParams]] = []
    if grouped && o.staticGroups {
        staticParams = stride(from: 0, to: cols, by: g).map { c in (0..<rows).map { paramsOf(w, row: $0, cols: c..<(c + g)) } }
    }
    // Act-order: permute columns of W and rows/columns of H.
    var perm = Array(0..<cols)
    if o.actOrder {
        let d = (0..<cols).map { h[$0, $0] }
        perm = stableArgsortDescending(d)
        w = permuteColumns(w, perm)
        h = Matrix(rows: cols, cols: cols) { h[perm[$0], perm[$1]] }
    }
    try inverseHessianFactor(&h, percDamp: o.percDamp)
    let u = h

    var codesPerm = [Int32](repeating: 0, count: rows * cols)
    var groupScales: [[Float]] = [], groupZeros: [[Float]] = []
    var current = rowParams
    var loss: Double = 0
    let bs = o.blockSize
    for i1 in stride(from: 0, to: cols, by: bs) {
        let i2 = min(i1 + bs, cols), count = i2 - i1
        var w1 = Matrix(rows: rows, cols: count) { w[$0, i1 + $1] }
        var err1 = Matrix(rows: rows, cols: count)
        for i in 0..<count {
            let c = i1 + i
            if grouped {
                if !o.staticGroups {
                    if c % g == 0 {
                        // From the global W: lazy updates of earlier blocks, not this block's in-block ones.
                        current = (0..<rows).map { paramsOf(w, row: $0, cols: c..<min(c + g, cols)) }
                        groupScales.append(current.map(\.scale)); groupZeros.append(current.map(\.zero))
                    }
                } else {
                    current = staticParams[perm[c] / g]
                }
            }
            let d = u[i1 + i, i1 + i]
            w1.data.withUnsafeMutableBufferPointer { pw in
                err1.data.withUnsafeMutableBufferPointer { pe in
                    u.data.withUnsafeBufferPointer { pu in
                        let urow = pu.baseAddress! + (i1 + i) * cols + i1
                        for r in 0..<rows {
                            let wrow = pw.baseAddress! + r * count
                            let x = wrow[i]
                            let p = current[r]
                            let q = quantizeCode(x, p, kind: .gptq, bits: o.bits)
                            codesPerm[r * cols + c] = q
                            let deq = dequantizeCode(q, p, kind: .gptq, bits: o.bits)
                            loss += Double((x - deq) * (x - deq) / (d * d)) / 2
                            let e = (x - deq) / d
                            pe[r * count + i] = e
                            // W1[r, i:] −= e · U1[i, i:]
                            for j in i..<count { wrow[j] -= e * urow[j] }
                        }
                    }
                }
            }
        }
        // W[:, i2:] −= Err1 · U[i1:i2, i2:]
        if i2 < cols {
            err1.data.withUnsafeBufferPointer { pe in
                u.data.withUnsafeBufferPointer { pu in
                    w.data.withUnsafeMutableBufferPointer { pw in
                        sgemm(m: rows, n: cols - i2, k: count, alpha: -1, a: pe.baseAddress!, lda: count,
                              b: pu.baseAddress! + i1 * cols + i2, ldb: cols, beta: 1, c: pw.baseAddress! + i2, ldc: cols)
                    }
                }
            }
        }
    }
    // Codes back to the original column order; groups stay in processing order (g_idx maps them).
    var codes = [Int32](repeating: 0, count: rows * cols)
    var gIdx = [Int32](repeating: 0, count: cols)
    for c in 0..<cols {
        let orig = perm[c]
        for r in 0..<rows { codes[r * cols + orig] = codesPerm[r * cols + c] }
        gIdx[orig] = grouped ? Int32(o.staticGroups ? orig / g : c / g) : 0
    }
    let nGroups = grouped ? cols / g : 1
    var scales = Matrix(rows: rows, cols: nGroups), zeros = Matrix(rows: rows, cols: nGroups)
    for gi in 0..<nGroups {
        for r in 0..<rows {
            let p = !grouped ? rowParams[r] : (o.staticGroups ? staticParams[gi][r] : QuantParams(scale: groupScales[gi][r], zero: groupZeros[gi][r]))
            scales[r, gi] = p.scale; zeros[r, gi] = p.zero
        }
    }
    var q = QuantizedWeight(rows: rows, cols: cols, bits: o.bits, groupSize: g, kind: .gptq, symmetric: o.symmetric,
                            codes: codes, scales: scales, zeros: zeros, gIdx: gIdx)
    q.actOrder = o.actOrder && !o.staticGroups && grouped
    return GPTQResult(quantized: q, perm: perm, error: loss)
}

/// Indices sorting `v` in descending order; ties keep index order.
func stableArgsortDescending(_ v: [Float]) -> [Int] {
    Array(0..<v.count).sorted { v[$0] > v[$1] || (v[$0] == v[$1] && $0 < $1) }
}

/// `w[:, perm]`.
func permuteColumns(_ w: Matrix, _ perm: [Int]) -> Matrix {
    Matrix(rows: w.rows, cols: w.cols) { w[$0, perm[$1]] }
}
