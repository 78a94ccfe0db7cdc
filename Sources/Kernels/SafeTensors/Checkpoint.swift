/// The weights of an HF model folder: `model.safetensors`, or the shards listed in
/// `model.safetensors.index.json` (each shard opened and validated once).
public final class Checkpoint: @unchecked Sendable {
    public let directory: String
    /// Tensor name → the file that holds it.
    public let files: [String: SafeTensorsFile]

    /// Opens the checkpoint in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        let indexPath = directory + "/model.safetensors.index.json"
        if let indexBytes = readFile(indexPath) {
            let json: JSON
            do { json = try JSON.parse(indexBytes) } catch {
                throw SafeTensorsError(.invalidIndex, file: indexPath, "not valid JSON: \(error)")
            }
            guard let map = json["weight_map"]?.object else {
                throw SafeTensorsError(.invalidIndex, file: indexPath, "no \"weight_map\" object")
            }
            var shards: [String: SafeTensorsFile] = [:]
            var files: [String: SafeTensorsFile] = [:]
            for name in map.keys.sorted() {
                guard let shardName = map[name]?.string, !shardName.hasPrefix("/"), !shardName.contains("..") else {
                    throw SafeTensorsError(.invalidIndex, file: indexPath, tensor: name, "weight_map entry is not a file name")
                }
                let shard: SafeTensorsFile
                if let s = shards[shardName] { shard = s } else {
                    shard = try SafeTensorsFile(path: directory + "/" + shardName)
                    shards[shardName] = shard
                }
                guard shard.tensors[name] != nil else {
                    throw SafeTensorsError(.missingTensor, file: shard.path, tensor: name, "listed in model.safetensors.index.json but absent from the shard")
                }
                files[name] = shard
            }
            self.files = files
        } else {
            let single = try SafeTensorsFile(path: directory + "/model.safetensors")
            self.files = Dictionary(uniqueKeysWithValues: single.names.map { ($0, single) })
        }
    }

    public var names: [String] { files.keys.sorted() }

    public func contains(_ name: String) -> Bool { files[name] != nil }

    public func file(for name: String) throws -> SafeTensorsFile {
        guard let f = files[name] else {
            throw SafeTensorsError(.missingTensor, file: directory, tensor: name, "no such tensor in the checkpoint")
        }
        return f
    }

    public func info(_ name: String) throws -> TensorInfo { try file(for: name).info(name) }

    /// Tensor `name` as Float32, checked against `shape` when given.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let f = try file(for: name)
        if let shape { return try f.floats(name, shape: shape) }
        return try f.floats(name)
    }
}
