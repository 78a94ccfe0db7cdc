import Foundation

/// Reads the metrics fixtures (`../shared/fixtures/kernels/metrics`): F32 tensors of a safetensors
/// file and the reference JSON. The root comes from `ACBENCH_FIXTURES`, else `../shared/fixtures`
/// next to the package.
enum MetricsFixture {
    static var root: String {
        if let env = ProcessInfo.processInfo.environment["ACBENCH_FIXTURES"], !env.isEmpty { return env }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent("../shared/fixtures").standardized.path
    }

    static var folder: String { root + "/kernels/metrics" }

    /// The F32 tensors of a safetensors file by name, with their shapes.
    static func tensors(_ path: String) throws -> [String: (shape: [Int], values: [Float])] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as! [String: Any]
        var out: [String: (shape: [Int], values: [Float])] = [:]
        for (name, entry) in header where name != "__metadata__" {
            let e = entry as! [String: Any]
            guard e["dtype"] as? String == "F32" else { continue }
            let offsets = e["data_offsets"] as! [Int]
            let bytes = data.subdata(in: 8 + headerLength + offsets[0] ..< 8 + headerLength + offsets[1])
            let values = bytes.withUnsafeBytes { raw in
                (0 ..< bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            out[name] = (e["shape"] as! [Int], values)
        }
        return out
    }

    static func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/metrics.json"))) as! [String: Any]
    }

    /// A JSON array of numbers, with `null` (scipy's NaN) as NaN.
    static func doubles(_ v: Any?) -> [Double] {
        (v as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }
}
