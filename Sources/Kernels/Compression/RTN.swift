/// Round-to-nearest: a quantizer applied to each group of `w` directly, no data (kernels.md §3.1).
///
/// `kind: .gptq` is the GPTQ `Quantizer` per group (what GPTQ-format RTN checkpoints use); `.awq` is
/// llm-awq's `pseudo_quantize_tensor` (ACBench's fake quant); `.compressedTensors` is llm-compressor's.
public func rtnQuantize(_ w: Matrix, bits: Int = 4, groupSize: Int = 128, symmetric: Bool = true,
                        kind: QuantizerKind = .gptq) throws -> QuantizedWeight {
    let g = try resolvedGroupSize(groupSize, cols: w.cols)
    let groups = w.cols / g
    var codes = [Int32](repeating: 0, count: w.rows * w.cols)
    var scales = Matrix(rows: w.rows, cols: groups), zeros = Matrix(rows: w.rows, cols: groups)
    w.data.withUnsafeBufferPointer { pw in
        for r in 0..<w.rows {
            for gi in 0..<groups {
                let start = r * w.cols + gi * g
                let p = quantParams(UnsafeBufferPointer(rebasing: pw[start..<(start + g)]), kind: kind, bits: bits, symmetric: symmetric)
                scales[r, gi] = p.scale; zeros[r, gi] = p.zero
                for c in start..<(start + g) { codes[c] = quantizeCode(pw[c], p, kind: kind, bits: bits) }
            }
        }
    }
    return QuantizedWeight(rows: w.rows, cols: w.cols, bits: bits, groupSize: g, kind: kind, symmetric: symmetric,
                           codes: codes, scales: scales, zeros: zeros, gIdx: (0..<w.cols).map { Int32($0 / g) })
}

/// `Q(w)` as fp32 (quantize then dequantize), the fake-quantized weight.
public func fakeQuantize(_ w: Matrix, bits: Int = 4, groupSize: Int = 128, symmetric: Bool = true,
                         kind: QuantizerKind = .gptq) throws -> Matrix {
    try rtnQuantize(w, bits: bits, groupSize: groupSize, symmetric: symmetric, kind: kind).dequantized()
}
