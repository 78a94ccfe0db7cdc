// Bit layouts of the 4-bit checkpoint formats vLLM loads (kernels.md §4.1, §4.2, §4.2b).
// Words are uint32 bit patterns stored as I32.

/// GPTQ v1 `qweight [K/8, N]`: nibble j of word (r, n) is the code of input `8r + j`, output n.
public func packGPTQWeight(_ q: QuantizedWeight) -> [Int32] {
    let n = q.rows, k = q.cols
    precondition(k % 8 == 0, "GPTQ packing needs in % 8 == 0")
    var out = [Int32](repeating: 0, count: (k / 8) * n)
    for r in 0..<(k / 8) {
        for col in 0..<n {
            var word: UInt32 = 0
            for j in 0..<8 { word |= UInt32(q.codes[col * k + 8 * r + j] & 0xF) << (4 * UInt32(j)) }
            out[r * n + col] = Int32(bitPattern: word)
        }
    }
    return out
}

/// GPTQ v1 `qzeros [G, N/8]`: nibble j of word (g, c) is `zero(g, 8c + j) − 1` (v1 stores zero − 1).
/// With `v2` the zeros are stored as they are (`checkpoint_format: gptq_v2`).
public func packGPTQZeros(_ q: QuantizedWeight, v2: Bool = false) -> [Int32] {
    let n = q.rows, g = q.groups
    precondition(n % 8 == 0, "GPTQ packing needs out % 8 == 0")
    var out = [Int32](repeating: 0, count: g * (n / 8))
    for gi in 0..<g {
        for c in 0..<(n / 8) {
            var word: UInt32 = 0
            for j in 0..<8 {
                let z = Int32(q.zeros[8 * c + j, gi]) - (v2 ? 0 : 1)
                word |= UInt32(bitPattern: z & 0xF) << (4 * UInt32(j))
            }
            out[gi * (n / 8) + c] = Int32(bitPattern: word)
        }
    }
    return out
}

/// Scales `[G, N]` (the transpose of `QuantizedWeight.scales`).
public func groupMajorScales(_ q: QuantizedWeight) -> [Float] { q.scales.transposed.data }

/// AutoAWQ's interleave: nibble i of a word holds output column `8c + awqOrder[i]`.
public let awqPackOrder = [0, 2, 4, 6, 1, 3, 5, 7]

/// AWQ GEMM `qweight [K, N/8]`, packed along the output dim with the AWQ interleave.
public func packAWQWeight(_ q: QuantizedWeight) -> [Int32] {
    let n = q.rows, k = q.cols
    precondition(n % 8 == 0, "AWQ packing needs out % 8 == 0")
    var out = [Int32](repeating: 0, count: k * (n / 8))
    for kk in 0..<k {
        for c in 0..<(n / 8) {
            var word: UInt32 = 0
            for i in 0..<8 { word |= UInt32(q.codes[(8 * c + awqPackOrder[i]) * k + kk] & 0xF) << (4 * UInt32(i)) }
            out[kk * (n / 8) + c] = Int32(bitPattern: word)
        }
    }
    return out
}

/// AWQ GEMM `qzeros [G, N/8]`: same interleave, zeros stored as-is.
public func packAWQZeros(_ q: QuantizedWeight) -> [Int32] {
    let n = q.rows, g = q.groups
    var out = [Int32](repeating: 0, count: g * (n / 8))
    for gi in 0..<g {
        for c in 0..<(n / 8) {
            var word: UInt32 = 0
            for i in 0..<8 { word |= UInt32(Int32(q.zeros[8 * c + awqPackOrder[i], gi]) & 0xF) << (4 * UInt32(i)) }
            out[gi * (n / 8) + c] = Int32(bitPattern: word)
        }
    }
    return out
}

/// compressed-tensors `weight_packed [N, ceil(K/8)]`: packed along the input dim, lowest index lowest.
/// The codes are the signed code + 8 already.
public func packCompressedTensorsWeight(_ q: QuantizedWeight) -> [Int32] {
    let n = q.rows, k = q.cols, words = (k + 7) / 8
    var out = [Int32](repeating: 0, count: n * words)
    for r in 0..<n {
        for c in 0..<words {
            var word: UInt32 = 0
            for j in 0..<8 where 8 * c + j < k { word |= UInt32(q.codes[r * k + 8 * c + j] & 0xF) << (4 * UInt32(j)) }
            out[r * words + c] = Int32(bitPattern: word)
        }
    }
    return out
}

/// compressed-tensors `weight_zero_point [ceil(N/8), G]` (asymmetric only): signed zero points packed
/// along the output dim as nibbles of `zp + 8`.
public func packCompressedTensorsZeros(_ q: QuantizedWeight) -> [Int32] {
    let n = q.rows, g = q.groups, words = (n + 7) / 8
    var out = [Int32](repeating: 0, count: words * g)
    for c in 0..<words {
        for gi in 0..<g {
            var word: UInt32 = 0
            for j in 0..<8 where 8 * c + j < n {
                word |= (UInt32(Int32(q.zeros[8 * c + j, gi]) + 8) & 0xF) << (4 * UInt32(j))
            }
            out[c * g + gi] = Int32(bitPattern: word)
        }
    }
    return out
}

/// Nibble `j` of a word.
@inline(__always) func nibble(_ w: Int32, _ j: Int) -> Int32 { Int32((UInt32(bitPattern: w) >> (4 * UInt32(j))) & 0xF) }

/// Unpacks GPTQ v1 `qweight [K/8, N]` into codes `[N, K]`.
public func unpackGPTQWeight(_ qweight: [Int32], out n: Int, in k: Int) -> [Int32] {
    var codes = [Int32](repeating: 0, count: n * k)
    for r in 0..<(k / 8) { for col in 0..<n { for j in 0..<8 { codes[col * k + 8 * r + j] = nibble(qweight[r * n + col], j) } } }
    return codes
}

/// Unpacks GPTQ `qzeros [G, N/8]` into zeros `[N, G]` (adding the v1 offset back).
public func unpackGPTQZeros(_ qzeros: [Int32], out n: Int, groups g: Int, v2: Bool = false) -> Matrix {
    var z = Matrix(rows: n, cols: g)
    for gi in 0..<g { for c in 0..<(n / 8) { for j in 0..<8 { z[8 * c + j, gi] = Float(nibble(qzeros[gi * (n / 8) + c], j) + (v2 ? 0 : 1)) } } }
    return z
}

/// Unpacks AWQ GEMM `qweight [K, N/8]` into codes `[N, K]`.
public func unpackAWQWeight(_ qweight: [Int32], out n: Int, in k: Int) -> [Int32] {
    var codes = [Int32](repeating: 0, count: n * k)
    for kk in 0..<k { for c in 0..<(n / 8) { for i in 0..<8 { codes[(8 * c + awqPackOrder[i]) * k + kk] = nibble(qweight[kk * (n / 8) + c], i) } } }
    return codes
}

/// Unpacks AWQ `qzeros [G, N/8]` into zeros `[N, G]`.
public func unpackAWQZeros(_ qzeros: [Int32], out n: Int, groups g: Int) -> Matrix {
    var z = Matrix(rows: n, cols: g)
    for gi in 0..<g { for c in 0..<(n / 8) { for i in 0..<8 { z[8 * c + awqPackOrder[i], gi] = Float(nibble(qzeros[gi * (n / 8) + c], i)) } } }
    return z
}

/// Unpacks compressed-tensors `weight_packed [N, ceil(K/8)]` into codes `[N, K]` (signed + 8).
public func unpackCompressedTensorsWeight(_ packed: [Int32], out n: Int, in k: Int) -> [Int32] {
    let words = (k + 7) / 8
    var codes = [Int32](repeating: 0, count: n * k)
    for r in 0..<n { for kk in 0..<k { codes[r * k + kk] = nibble(packed[r * words + kk / 8], kk % 8) } }
    return codes
}

/// Unpacks compressed-tensors `weight_zero_point [ceil(N/8), G]` into signed zero points `[N, G]`.
public func unpackCompressedTensorsZeros(_ packed: [Int32], out n: Int, groups g: Int) -> Matrix {
    var z = Matrix(rows: n, cols: g)
    for r in 0..<n { for gi in 0..<g { z[r, gi] = Float(nibble(packed[(r / 8) * g + gi], r % 8) - 8) } }
    return z
}
