/// Loads a checkpoint written in any of the formats of `CheckpointFormat` as an fp32 model whose
/// linears hold the dequantized weights (fp16 scales, as a loader sees them): the reference that
/// vLLM's logits are compared against, and the model the perplexity script evaluates.
public func loadDequantizedModel(directory: String) throws -> LlamaModel {
    let config = try ModelConfig(directory: directory)
    let ck = try Checkpoint(directory: directory)
    let json = try readJSONFile(directory + "/config.json")
    let qc = json["quantization_config"]
    let method = qc?["quant_method"]?.string
    func ints(_ name: String) throws -> [Int32] { try ck.file(for: name).integers(name).map { Int32(truncatingIfNeeded: $0) } }
    let tensor: (String, [Int]) throws -> [Float] = { name, shape in
        guard let method, name.hasSuffix(".weight"), name.hasPrefix("model.layers."), !ck.contains(name) else {
            return try ck.floats(name, shape: shape)
        }
        let prefix = String(name.dropLast(".weight".count))
        let n = shape[0], k = shape[1]
        switch method {
        case "gptq":
            let v2 = qc?["checkpoint_format"]?.string == "gptq_v2"
            return try dequantizeGPTQ(qweight: try ints(prefix + ".qweight"), qzeros: try ints(prefix + ".qzeros"),
                                      scales: try ck.floats(prefix + ".scales"), gIdx: try ints(prefix + ".g_idx"), out: n, in: k, v2: v2).data
        case "awq":
            let scales = try ck.floats(prefix + ".scales")
            let g = scales.count / n
            let q = QuantizedWeight(rows: n, cols: k, bits: 4, groupSize: k / g, kind: .awq, symmetric: false,
                                    codes: unpackAWQWeight(try ints(prefix + ".qweight"), out: n, in: k),
                                    scales: Matrix(rows: g, cols: n, data: scales).transposed,
                                    zeros: unpackAWQZeros(try ints(prefix + ".qzeros"), out: n, groups: g),
                                    gIdx: (0..<k).map { Int32($0 / (k / g)) })
            return q.dequantized().data
        case "compressed-tensors":
            let scales = try ck.floats(prefix + ".weight_scale")
            let g = scales.count / n
            let zeros = ck.contains(prefix + ".weight_zero_point")
                ? unpackCompressedTensorsZeros(try ints(prefix + ".weight_zero_point"), out: n, groups: g) : Matrix(rows: n, cols: g)
            let q = QuantizedWeight(rows: n, cols: k, bits: 4, groupSize: k / g, kind: .compressedTensors, symmetric: !ck.contains(prefix + ".weight_zero_point"),
                                    codes: unpackCompressedTensorsWeight(try ints(prefix + ".weight_packed"), out: n, in: k),
                                    scales: Matrix(rows: n, cols: g, data: scales), zeros: zeros,
                                    gIdx: (0..<k).map { Int32($0 / (k / g)) })
            return q.dequantized().data
        default:
            throw CompressionError.badInput("\(directory)/config.json: quant_method \(method) is not supported")
        }
    }
    return try LlamaModel(config: config, tensor: tensor, has: ck.contains)
}
