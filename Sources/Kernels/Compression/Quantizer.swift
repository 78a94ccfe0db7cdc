// The three 4-bit quantizers of the references (kernels.md §3.1, §4.2b). All arithmetic is fp32 in
// the references' order, and every rounding is round-half-to-even (`torch.round`).

/// Which library's quantizer (they differ in range, zero point and rounding order).
public enum QuantizerKind: String, Sendable, Codable {
    /// IST-DASLab `quant.py` / AutoGPTQ: range widened to include 0; `q = clamp(round(w/s) + z)`.
    case gptq
    /// llm-awq `pseudo_quantize_tensor` (zero point): plain min/max; `q = clamp(round(w/s) + z)`.
    case awq
    /// compressed-tensors: `q = round(clamp(w/s + z))` in [−8, 7], stored +8.
    case compressedTensors
}

/// Scale and zero point of one (row, group); `zero` is stored as the reference holds it (a float).
public struct QuantParams: Sendable, Equatable {
    public var scale: Float
    public var zero: Float
}

@inline(__always) func roundEven(_ x: Float) -> Float { x.rounded(.toNearestOrEven) }

/// Parameters of the GPTQ quantizer for the values `x` (one row's slice).
public func gptqParams(_ x: UnsafeBufferPointer<Float>, bits: Int = 4, symmetric: Bool) -> QuantParams {
    let maxq = Float((1 << bits) - 1)
    var xmin: Float = 0, xmax: Float = 0
    for v in x { xmin = min(xmin, v); xmax = max(xmax, v) }
    if symmetric {
        xmax = max(abs(xmin), xmax)
        if xmin < 0 { xmin = -xmax }
    }
    if xmin == 0 && xmax == 0 { xmin = -1; xmax = 1 }
    let scale = (xmax - xmin) / maxq
    let zero = symmetric ? (maxq + 1) / 2 : roundEven(-xmin / scale)
    return QuantParams(scale: scale, zero: zero)
}

/// Parameters of llm-awq's quantizer (zero point on) for one group.
public func awqParams(_ x: UnsafeBufferPointer<Float>, bits: Int = 4) -> QuantParams {
    let maxInt = Float((1 << bits) - 1)
    var lo = Float.infinity, hi = -Float.infinity
    for v in x { lo = min(lo, v); hi = max(hi, v) }
    let scale = max(hi - lo, 1e-5) / maxInt
    let zero = min(max(-roundEven(lo / scale), 0), maxInt)
    return QuantParams(scale: scale, zero: zero)
}

/// Parameters of compressed-tensors' min/max observer (4-bit int, group strategy). The zero point is
/// in the signed domain [−8, 7] (0 when symmetric).
public func compressedTensorsParams(_ x: UnsafeBufferPointer<Float>, symmetric: Bool) -> QuantParams {
    var lo: Float = 0, hi: Float = 0
    for v in x { lo = min(lo, v); hi = max(hi, v) }
    if symmetric {
        let m = max(abs(lo), abs(hi))
        var scale = m / 7.5
        if scale == 0 { scale = Float.ulpOfOne }  // torch.finfo(float32).eps, as the observer
        return QuantParams(scale: scale, zero: 0)
    }
    var scale = (hi - lo) / 15
    if scale == 0 { scale = Float.ulpOfOne }  // torch.finfo(float32).eps, as the observer
    let zp = roundEven(min(max(-8 - lo / scale, -8), 7))
    return QuantParams(scale: scale, zero: zp)
}

/// The integer code of `w` under `p` for quantizer `kind` (unsigned, 0…2^bits−1; compressed-tensors'
/// signed code is returned +8 so that all formats share one code range).
@inline(__always)
public func quantizeCode(_ w: Float, _ p: QuantParams, kind: QuantizerKind, bits: Int = 4) -> Int32 {
    let maxq = Float((1 << bits) - 1)
    switch kind {
    case .gptq, .awq:
        return Int32(min(max(roundEven(w / p.scale) + p.zero, 0), maxq))
    case .compressedTensors:
        let half = Float(1 << (bits - 1))
        return Int32(roundEven(min(max(w / p.scale + p.zero, -half), half - 1)) + half)
    }
}

/// The value a code stands for: `scale·(q − zero)` (GPTQ order), `(q − zero)·scale` otherwise.
@inline(__always)
public func dequantizeCode(_ q: Int32, _ p: QuantParams, kind: QuantizerKind, bits: Int = 4) -> Float {
    switch kind {
    case .gptq: return p.scale * (Float(q) - p.zero)
    case .awq: return (Float(q) - p.zero) * p.scale
    case .compressedTensors: return (Float(q) - Float(1 << (bits - 1)) - p.zero) * p.scale
    }
}

/// Parameters of `kind` for one slice.
public func quantParams(_ x: UnsafeBufferPointer<Float>, kind: QuantizerKind, bits: Int = 4, symmetric: Bool) -> QuantParams {
    switch kind {
    case .gptq: return gptqParams(x, bits: bits, symmetric: symmetric)
    case .awq: return awqParams(x, bits: bits)
    case .compressedTensors: return compressedTensorsParams(x, symmetric: symmetric)
    }
}

/// A quantized linear weight: integer codes in original column order and per-group parameters.
///
/// `scales`/`zeros` are `[out, G]` with groups in index order (= GPTQ processing order); input column
/// `j` uses group `gIdx[j]`.
public struct QuantizedWeight: Sendable {
    public let rows: Int, cols: Int
    public let bits: Int
    /// Columns per group (`cols` for one group per row).
    public let groupSize: Int
    public let kind: QuantizerKind
    public let symmetric: Bool
    /// `[out, in]` codes, 0…2^bits−1.
    public var codes: [Int32]
    public var scales: Matrix
    public var zeros: Matrix
    public var gIdx: [Int32]
    /// Whether `gIdx` is not simply `j / groupSize` (GPTQ act-order).
    public var actOrder: Bool = false

    public var groups: Int { scales.cols }

    public init(rows: Int, cols: Int, bits: Int, groupSize: Int, kind: QuantizerKind, symmetric: Bool,
                codes: [Int32], scales: Matrix, zeros: Matrix, gIdx: [Int32]) {
        self.rows = rows; self.cols = cols; self.bits = bits; self.groupSize = groupSize
        self.kind = kind; self.symmetric = symmetric
        self.codes = codes; self.scales = scales; self.zeros = zeros; self.gIdx = gIdx
    }

    public func params(row: Int, group: Int) -> QuantParams {
        QuantParams(scale: scales[row, group], zero: zeros[row, group])
    }

    /// The fp32 weight the codes stand for.
    public func dequantized() -> Matrix {
        var w = Matrix(rows: rows, cols: cols)
        for r in 0..<rows {
            for c in 0..<cols {
                w.data[r * cols + c] = dequantizeCode(codes[r * cols + c], params(row: r, group: Int(gIdx[c])), kind: kind, bits: bits)
            }
        }
        return w
    }
}

/// Effective group size: `-1` (or ≥ cols) means one group per row. Throws when it does not divide `cols`.
public func resolvedGroupSize(_ g: Int, cols: Int, name: String = "linear") throws -> Int {
    if g <= 0 || g >= cols { return cols }
    guard cols % g == 0 else {
        throw CompressionError.badShape("\(name): input size \(cols) is not a multiple of group size \(g) (use a divisor, e.g. 64 for hidden 576, or -1)")
    }
    return g
}

/// Errors of the compression code.
public enum CompressionError: Error, CustomStringConvertible, Equatable {
    case badShape(String)
    case badParameter(String)
    case badInput(String)
    case numerical(String)

    public var description: String {
        switch self {
        case .badShape(let m), .badParameter(let m), .badInput(let m), .numerical(let m): return m
        }
    }
}
