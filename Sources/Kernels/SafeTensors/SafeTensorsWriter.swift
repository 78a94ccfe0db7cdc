/// A tensor to write: dtype, shape and little-endian bytes.
public struct TensorData: Sendable {
    public let dtype: DType
    public let shape: [Int]
    public let bytes: [UInt8]

    public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.reduce(1, *) * dtype.size == bytes.count,
                     "tensor data: \(bytes.count) bytes for shape \(shape) of \(dtype.rawValue)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Float32 values stored as F32, F16 or BF16 (round to nearest even).
    public static func floats(_ values: [Float], shape: [Int], as dtype: DType = .F32) -> TensorData {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * dtype.size)
        switch dtype {
        case .F32: for v in values { appendLE(&out, v.bitPattern) }
        case .F16: for v in values { appendLE(&out, v.halfBits) }
        case .BF16: for v in values { appendLE(&out, v.bfloat16Bits) }
        case .F64: for v in values { appendLE(&out, Double(v).bitPattern) }
        default: preconditionFailure("TensorData.floats: \(dtype) is not a floating-point dtype")
        }
        return TensorData(dtype: dtype, shape: shape, bytes: out)
    }

    public static func int64s(_ values: [Int64], shape: [Int]) -> TensorData {
        var out: [UInt8] = []
        for v in values { appendLE(&out, UInt64(bitPattern: v)) }
        return TensorData(dtype: .I64, shape: shape, bytes: out)
    }

    public static func int32s(_ values: [Int32], shape: [Int]) -> TensorData {
        var out: [UInt8] = []
        for v in values { appendLE(&out, UInt32(bitPattern: v)) }
        return TensorData(dtype: .I32, shape: shape, bytes: out)
    }

    public static func uint8s(_ values: [UInt8], shape: [Int]) -> TensorData {
        TensorData(dtype: .U8, shape: shape, bytes: values)
    }
}

@inline(__always)
func appendLE<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
    var x = v.littleEndian
    withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
}

/// Serialises tensors in the safetensors format (kernels.md §4.5): u64 header length, the JSON header
/// padded with spaces to a multiple of 8, then the data buffer. Tensors are laid out in name order;
/// header keys are sorted, `__metadata__` first.
public func serializeSafeTensors(_ tensors: [String: TensorData], metadata: [String: String] = ["format": "pt"]) -> [UInt8] {
    let names = tensors.keys.sorted()
    var entries: [String] = []
    if !metadata.isEmpty {
        let m = metadata.keys.sorted().map { jsonQuoted($0) + ":" + jsonQuoted(metadata[$0]!) }
        entries.append("\"__metadata__\":{" + m.joined(separator: ",") + "}")
    }
    var offset = 0
    for name in names {
        let t = tensors[name]!
        let shape = "[" + t.shape.map(String.init).joined(separator: ",") + "]"
        entries.append(jsonQuoted(name) + ":{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + t.bytes.count)]}")
        offset += t.bytes.count
    }
    var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
    while (8 + header.count) % 8 != 0 { header.append(0x20) }
    var out: [UInt8] = []
    out.reserveCapacity(8 + header.count + offset)
    appendLE(&out, UInt64(header.count))
    out += header
    for name in names { out += tensors[name]!.bytes }
    return out
}

/// Writes a safetensors file atomically.
public func writeSafeTensors(_ tensors: [String: TensorData], to path: String,
                             metadata: [String: String] = ["format": "pt"]) throws {
    try writeFileAtomically(path, serializeSafeTensors(tensors, metadata: metadata))
}

/// Writes `shards` (each a set of tensors) as `model-0000k-of-0000n.safetensors` plus
/// `model.safetensors.index.json` in `directory`. A single shard is written as `model.safetensors`.
public func writeShardedSafeTensors(_ shards: [[String: TensorData]], to directory: String,
                                    metadata: [String: String] = ["format": "pt"]) throws {
    if shards.count == 1 {
        try writeSafeTensors(shards[0], to: directory + "/model.safetensors", metadata: metadata)
        return
    }
    func pad5(_ i: Int) -> String { let s = String(i); return String(repeating: "0", count: max(0, 5 - s.count)) + s }
    var map: [(String, String)] = []
    var total = 0
    for (i, shard) in shards.enumerated() {
        let file = "model-\(pad5(i + 1))-of-\(pad5(shards.count)).safetensors"
        try writeSafeTensors(shard, to: directory + "/" + file, metadata: metadata)
        for (name, t) in shard { map.append((name, file)); total += t.bytes.count }
    }
    map.sort { $0.0 < $1.0 }
    let body = map.map { "    " + jsonQuoted($0.0) + ": " + jsonQuoted($0.1) }.joined(separator: ",\n")
    let index = "{\n  \"metadata\": {\n    \"total_size\": \(total)\n  },\n  \"weight_map\": {\n" + body + "\n  }\n}\n"
    try writeFileAtomically(directory + "/model.safetensors.index.json", Array(index.utf8))
}
