// Per-linear tensors and `quantization_config` of the checkpoint formats vLLM loads (kernels.md §4).

/// The output format of a compressed model.
public enum CheckpointFormat: String, Sendable, Codable, CaseIterable {
    /// Ordinary dense safetensors (pruned models, or fake-quantized weights).
    case dense
    /// AutoGPTQ "gptq" v1 (symmetric), `quant_method: gptq`.
    case gptq
    /// AutoAWQ GEMM, `quant_method: awq` (zero point).
    case awq
    /// compressed-tensors pack-quantized W4A16 (llm-compressor).
    case compressedTensors = "compressed-tensors"
}

/// GPTQ v1 tensors of one linear: `qweight`, `qzeros`, `scales` (F16), `g_idx`, and `bias` (F16) if any.
public func gptqTensors(_ q: QuantizedWeight, prefix: String, bias: [Float]? = nil) throws -> [String: TensorData] {
    guard q.kind == .gptq else { throw CompressionError.badParameter("\(prefix): GPTQ format needs GPTQ-quantizer codes, got \(q.kind)") }
    guard q.cols % 8 == 0, q.rows % 8 == 0 else { throw CompressionError.badShape("\(prefix): GPTQ format needs in and out multiples of 8, got \(q.rows)×\(q.cols)") }
    var t: [String: TensorData] = [
        prefix + ".qweight": .int32s(packGPTQWeight(q), shape: [q.cols / 8, q.rows]),
        prefix + ".qzeros": .int32s(packGPTQZeros(q, v2: !q.symmetric), shape: [q.groups, q.rows / 8]),
        prefix + ".scales": .floats(groupMajorScales(q), shape: [q.groups, q.rows], as: .F16),
        prefix + ".g_idx": .int32s(q.gIdx, shape: [q.cols]),
    ]
    if let bias { t[prefix + ".bias"] = .floats(bias, shape: [q.rows], as: .F16) }
    return t
}

/// AWQ GEMM tensors of one linear: `qweight [K, N/8]`, `qzeros [G, N/8]`, `scales [G, N]` (F16).
public func awqTensors(_ q: QuantizedWeight, prefix: String, bias: [Float]? = nil) throws -> [String: TensorData] {
    guard q.kind != .compressedTensors, !q.actOrder else { throw CompressionError.badParameter("\(prefix): AWQ format needs unsigned codes without act-order") }
    guard q.rows % 8 == 0 else { throw CompressionError.badShape("\(prefix): AWQ format needs out % 8 == 0, got \(q.rows)") }
    var t: [String: TensorData] = [
        prefix + ".qweight": .int32s(packAWQWeight(q), shape: [q.cols, q.rows / 8]),
        prefix + ".qzeros": .int32s(packAWQZeros(q), shape: [q.groups, q.rows / 8]),
        prefix + ".scales": .floats(groupMajorScales(q), shape: [q.groups, q.rows], as: .F16),
    ]
    if let bias { t[prefix + ".bias"] = .floats(bias, shape: [q.rows], as: .F16) }
    return t
}

/// compressed-tensors pack-quantized tensors of one linear (`weight_packed`, `weight_scale`,
/// `weight_shape`, and `weight_zero_point` when asymmetric).
public func compressedTensorsTensors(_ qIn: QuantizedWeight, prefix: String, bias: [Float]? = nil, scaleDType: DType = .F16) throws -> [String: TensorData] {
    guard !qIn.actOrder else { throw CompressionError.badParameter("\(prefix): act-order is not written as compressed-tensors") }
    var q = qIn
    if q.kind != .compressedTensors {
        // Unsigned GPTQ/AWQ codes with zero z are the signed codes q − 8 with zero point z − 8.
        let zeros = Matrix(rows: q.rows, cols: q.groups, data: q.zeros.data.map { $0 - 8 })
        q = QuantizedWeight(rows: q.rows, cols: q.cols, bits: q.bits, groupSize: q.groupSize, kind: .compressedTensors,
                            symmetric: zeros.data.allSatisfy { $0 == 0 }, codes: q.codes, scales: q.scales, zeros: zeros, gIdx: q.gIdx)
    }
    var t: [String: TensorData] = [
        prefix + ".weight_packed": .int32s(packCompressedTensorsWeight(q), shape: [q.rows, (q.cols + 7) / 8]),
        prefix + ".weight_scale": .floats(q.scales.data, shape: [q.rows, q.groups], as: scaleDType),
        prefix + ".weight_shape": .int64s([Int64(q.rows), Int64(q.cols)], shape: [2]),
    ]
    if !q.symmetric { t[prefix + ".weight_zero_point"] = .int32s(packCompressedTensorsZeros(q), shape: [(q.rows + 7) / 8, q.groups]) }
    if let bias { t[prefix + ".bias"] = .floats(bias, shape: [q.rows], as: scaleDType) }
    return t
}

/// The same codes with their scales rounded to fp16 (what the checkpoint stores and a loader sees).
public func withHalfScales(_ q: QuantizedWeight) -> QuantizedWeight {
    var r = q
    r.scales.data = q.scales.data.map { Float(halfBits: $0.halfBits) }
    return r
}

/// `quantization_config` for `config.json` (a JSON object literal).
public func quantizationConfigJSON(_ format: CheckpointFormat, bits: Int, groupSize: Int, symmetric: Bool,
                                   actOrder: Bool = false, damp: Float = 0.01) -> String? {
    switch format {
    case .dense: return nil
    case .gptq:
        return "{\"quant_method\": \"gptq\", \"bits\": \(bits), \"group_size\": \(groupSize), \"desc_act\": \(actOrder), \"sym\": \(symmetric), "
            + "\"damp_percent\": \(damp), \"static_groups\": false, \"true_sequential\": true, "
            + "\"checkpoint_format\": \"\(symmetric ? "gptq" : "gptq_v2")\"}"
    case .awq:
        return "{\"quant_method\": \"awq\", \"zero_point\": true, \"group_size\": \(groupSize), \"bits\": \(bits), \"version\": \"gemm\", \"modules_to_not_convert\": null}"
    case .compressedTensors:
        return "{\"quant_method\": \"compressed-tensors\", \"format\": \"pack-quantized\", \"quantization_status\": \"compressed\", "
            + "\"ignore\": [\"lm_head\"], \"kv_cache_scheme\": null, \"config_groups\": {\"group_0\": {\"targets\": [\"Linear\"], "
            + "\"format\": \"pack-quantized\", \"weights\": {\"num_bits\": \(bits), \"type\": \"int\", \"symmetric\": \(symmetric), "
            + "\"strategy\": \"group\", \"group_size\": \(groupSize), \"dynamic\": false, \"actorder\": null, \"observer\": \"minmax\"}, "
            + "\"input_activations\": null, \"output_activations\": null}}}"
    }
}

/// Dequantizes a GPTQ linear from its checkpoint tensors: `W[n,k] = scales[g_idx[k], n]·(q − z)`.
public func dequantizeGPTQ(qweight: [Int32], qzeros: [Int32], scales: [Float], gIdx: [Int32], out n: Int, in k: Int, v2: Bool = false) throws -> Matrix {
    let g = scales.count / n
    guard qweight.count == (k / 8) * n, qzeros.count == g * (n / 8), gIdx.count == k else {
        throw CompressionError.badShape("GPTQ tensors do not fit a \(n)×\(k) linear with \(g) groups")
    }
    let codes = unpackGPTQWeight(qweight, out: n, in: k)
    let zeros = unpackGPTQZeros(qzeros, out: n, groups: g, v2: v2)
    let q = QuantizedWeight(rows: n, cols: k, bits: 4, groupSize: k / g, kind: .gptq, symmetric: true, codes: codes,
                            scales: Matrix(rows: g, cols: n, data: scales).transposed, zeros: zeros, gIdx: gIdx)
    return q.dequantized()
}
