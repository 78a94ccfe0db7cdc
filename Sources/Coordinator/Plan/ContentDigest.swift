import Protocol

/// Digests of local inputs (model folders, data files, calibration files) for unit identities.
///
/// Files up to `fullHashLimit` bytes are hashed whole; larger files (model shards) contribute their
/// size and the SHA-256 of their first and last `edgeBytes`, which covers the safetensors header
/// (every tensor's name, dtype, shape and offsets) and stays cheap on a 15 GB checkpoint.
public enum ContentDigest {
    public static let fullHashLimit: Int64 = 64 << 20
    public static let edgeBytes = 4 << 20

    /// Digest of a file or a folder (recursive, sorted by relative path); nil when the path does not exist.
    public static func of(path: String) -> String? {
        switch Files.kind(path) {
        case nil: return nil
        case .file: return fileDigest(path)
        case .directory:
            var lines = ""
            for rel in Files.listRecursive(path) { lines += rel + " " + (fileDigest(path + "/" + rel) ?? "?") + "\n" }
            return Digest.sha256Hex(lines)
        }
    }

    static func fileDigest(_ path: String) -> String? {
        guard let size = Files.size(path) else { return nil }
        if size <= fullHashLimit { return Files.read(path).map { Digest.sha256Hex($0) } }
        guard let head = Files.read(path, offset: 0, count: edgeBytes),
              let tail = Files.read(path, offset: size - Int64(edgeBytes), count: edgeBytes) else { return nil }
        return Digest.sha256Hex("size=\(size) head=\(Digest.sha256Hex(head)) tail=\(Digest.sha256Hex(tail))")
    }
}
