#if canImport(Glibc)
import Glibc
#endif

/// Where one tensor lives in a safetensors file.
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// Byte range within the data buffer (end exclusive).
    public let begin: Int
    public let end: Int
    public var count: Int { shape.reduce(1, *) }
}

/// A memory-mapped, fully validated safetensors file (kernels.md §4.5).
///
/// Opening checks the header length, the JSON, every dtype and shape, that `numel × size` equals each
/// byte range, and that the ranges tile the data buffer exactly (no gap, no overlap, nothing past the end
/// of the file). Any violation throws `SafeTensorsError` naming the file and the tensor.
public final class SafeTensorsFile: @unchecked Sendable {
    public let path: String
    public let tensors: [String: TensorInfo]
    /// `__metadata__` (string → string), empty when absent.
    public let metadata: [String: String]
    /// Names in data-offset order.
    public let names: [String]

    // Immutable after init: the mapping is read-only and unmapped in deinit.
    private let base: UnsafeRawPointer?
    private let mappedLength: Int
    private let dataStart: Int

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SafeTensorsError(.cannotOpen, file: path, "cannot open: " + String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SafeTensorsError(.cannotOpen, file: path, "cannot stat") }
        let fileSize = Int(st.st_size)
        guard fileSize >= 8 else {
            throw SafeTensorsError(.headerTooShort, file: path, "file is \(fileSize) bytes, shorter than the 8-byte header length")
        }
        guard let m = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw SafeTensorsError(.cannotOpen, file: path, "mmap failed: " + String(cString: strerror(errno)))
        }
        let raw = UnsafeRawPointer(m)
        do {
            let parsed = try Self.parseHeader(raw, fileSize: fileSize, path: path)
            self.base = raw
            self.mappedLength = fileSize
            self.dataStart = parsed.dataStart
            self.tensors = parsed.tensors
            self.metadata = parsed.metadata
            self.names = parsed.names
        } catch {
            munmap(m, fileSize)
            throw error
        }
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), mappedLength) }
    }

    /// The description of tensor `name`, or a `missingTensor` error.
    public func info(_ name: String) throws -> TensorInfo {
        guard let t = tensors[name] else {
            throw SafeTensorsError(.missingTensor, file: path, tensor: name, "no such tensor in the file")
        }
        return t
    }

    /// The raw little-endian bytes of tensor `name`, valid while this object lives.
    public func bytes(_ name: String) throws -> UnsafeRawBufferPointer {
        let t = try info(name)
        return UnsafeRawBufferPointer(start: base! + dataStart + t.begin, count: t.end - t.begin)
    }

    /// Tensor `name` as Float32 (F32 copied; BF16/F16 upcast exactly; F64 rounded).
    public func floats(_ name: String) throws -> [Float] {
        let t = try info(name)
        guard t.dtype.isFloatingPoint else {
            throw SafeTensorsError(.wrongDType, file: path, tensor: name, "dtype \(t.dtype.rawValue) is not a floating-point type")
        }
        let raw = try bytes(name)
        return [Float](unsafeUninitializedCapacity: t.count) { buf, n in
            convertToFloat(raw, t.dtype, into: buf.baseAddress!)
            n = t.count
        }
    }

    /// Tensor `name` as Float32 checked against an expected shape.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        let t = try info(name)
        guard t.shape == shape else {
            throw SafeTensorsError(.sizeMismatch, file: path, tensor: name, "shape \(t.shape), expected \(shape)")
        }
        return try floats(name)
    }

    /// Tensor `name` as Int64 (any integer dtype, widened).
    public func integers(_ name: String) throws -> [Int64] {
        let t = try info(name)
        let raw = try bytes(name)
        let n = t.count
        switch t.dtype {
        case .I64: return (0..<n).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self) }
        case .I32: return (0..<n).map { Int64(raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
        case .I16: return (0..<n).map { Int64(raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self)) }
        case .I8: return (0..<n).map { Int64(raw.load(fromByteOffset: $0, as: Int8.self)) }
        case .U64: return (0..<n).map { Int64(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
        case .U32: return (0..<n).map { Int64(raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        case .U16: return (0..<n).map { Int64(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) }
        case .U8, .BOOL: return (0..<n).map { Int64(raw.load(fromByteOffset: $0, as: UInt8.self)) }
        default:
            throw SafeTensorsError(.wrongDType, file: path, tensor: name, "dtype \(t.dtype.rawValue) is not an integer type")
        }
    }

    /// Tensor `name` as Float64 (F64 exactly, other float types widened).
    public func doubles(_ name: String) throws -> [Double] {
        let t = try info(name)
        if t.dtype == .F64 {
            let raw = try bytes(name)
            return (0..<t.count).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) }
        }
        return try floats(name).map(Double.init)
    }

    // MARK: header validation

    struct Parsed {
        var tensors: [String: TensorInfo]
        var metadata: [String: String]
        var names: [String]
        var dataStart: Int
    }

    static func parseHeader(_ raw: UnsafeRawPointer, fileSize: Int, path: String) throws -> Parsed {
        let n = raw.loadUnaligned(as: UInt64.self).littleEndian
        guard n <= 100_000_000 else {
            throw SafeTensorsError(.headerLength, file: path, "header length \(n) exceeds the 100,000,000-byte limit")
        }
        let headerLength = Int(n)
        guard headerLength > 0, 8 + headerLength <= fileSize else {
            throw SafeTensorsError(.truncated, file: path, "header length \(headerLength) but the file has only \(fileSize - 8) bytes after it (truncated?)")
        }
        let headerBytes = UnsafeRawBufferPointer(start: raw + 8, count: headerLength)
        guard headerBytes[0] == UInt8(ascii: "{") else {
            throw SafeTensorsError(.invalidHeaderJSON, file: path, "header does not start with '{'")
        }
        let json: JSON
        do { json = try JSON.parse(headerBytes, rejectDuplicateKeys: true) } catch {
            throw SafeTensorsError(.invalidHeaderJSON, file: path, "header is not valid JSON: \(error)")
        }
        guard let object = json.object else {
            throw SafeTensorsError(.invalidHeaderJSON, file: path, "header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var infos: [TensorInfo] = []
        for (name, entry) in object {
            if name == "__metadata__" {
                guard let m = entry.object else {
                    throw SafeTensorsError(.invalidEntry, file: path, "__metadata__ is not an object")
                }
                for (k, v) in m {
                    guard let s = v.string else {
                        throw SafeTensorsError(.invalidEntry, file: path, "__metadata__[\(k)] is not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            infos.append(try parseEntry(name, entry, path: path))
        }
        // The byte ranges must tile the data buffer exactly.
        infos.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        let dataLength = fileSize - 8 - headerLength
        var expected = 0
        for t in infos {
            if t.begin < expected {
                throw SafeTensorsError(.offsets, file: path, tensor: t.name, "data_offsets [\(t.begin), \(t.end)] overlap the previous tensor (which ends at \(expected))")
            }
            if t.begin > expected {
                throw SafeTensorsError(.offsets, file: path, tensor: t.name, "data_offsets [\(t.begin), \(t.end)] leave a gap after byte \(expected)")
            }
            if t.end > dataLength {
                throw SafeTensorsError(.truncated, file: path, tensor: t.name, "data ends at byte \(t.end) but the data buffer has only \(dataLength) bytes (file truncated)")
            }
            expected = t.end
        }
        if expected != dataLength {
            throw SafeTensorsError(.offsets, file: path, "\(dataLength - expected) bytes after the last tensor are not covered by any tensor")
        }
        return Parsed(tensors: Dictionary(uniqueKeysWithValues: infos.map { ($0.name, $0) }),
                      metadata: metadata, names: infos.map(\.name), dataStart: 8 + headerLength)
    }

    static func parseEntry(_ name: String, _ entry: JSON, path: String) throws -> TensorInfo {
        func bad(_ d: String, _ kind: SafeTensorsError.Kind = .invalidEntry) -> SafeTensorsError {
            SafeTensorsError(kind, file: path, tensor: name, d)
        }
        guard let o = entry.object else { throw bad("entry is not an object") }
        guard let dtypeName = o["dtype"]?.string else { throw bad("missing \"dtype\"") }
        guard let dtype = DType(rawValue: dtypeName) else { throw bad("unknown dtype \"\(dtypeName)\"", .unknownDType) }
        guard let shapeJSON = o["shape"]?.array else { throw bad("missing \"shape\"") }
        var shape: [Int] = []
        for d in shapeJSON {
            guard case .int(let v) = d, v >= 0 else { throw bad("shape \(shapeJSON) has a non-integer or negative dimension") }
            shape.append(v)
        }
        guard let offs = o["data_offsets"]?.array, offs.count == 2,
              case .int(let begin) = offs[0], case .int(let end) = offs[1], begin >= 0, end >= begin else {
            throw bad("\"data_offsets\" must be [begin, end] with 0 ≤ begin ≤ end")
        }
        var numel = 1
        for d in shape {
            let (p, overflow) = numel.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape \(shape) overflows", .sizeMismatch) }
            numel = p
        }
        guard numel * dtype.size == end - begin else {
            throw bad("shape \(shape) × \(dtype.rawValue) (\(dtype.size) bytes) = \(numel * dtype.size) bytes, but data_offsets span \(end - begin)", .sizeMismatch)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }
}
