#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Protocol

/// Expands a sweep into the unit DAG: one compress unit per (model, method) other than `none`,
/// and one eval unit per (model, method, task, shard) depending on it.
///
/// Identities are content hashes of everything that changes a unit's output (docs/PROTOCOL.md,
/// "Unit identity"); nothing about placement (hosts, ports, GPU ids) enters them.
public struct Planner: Sendable {
    /// Version of the identity scheme itself; part of every identity.
    public static let identityScheme = "acbench-identity/1"

    /// Folder relative paths in the sweep are resolved against (the sweep file's folder's parent
    /// by convention: the repository root). Used only to find local files to digest.
    public var baseDirectory: String

    public init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// The units of `sweep`: for each (model, method), its compress unit then its eval units.
    public func plan(_ sweep: SweepSpec) -> [UnitSpec] {
        var units: [UnitSpec] = []
        var digests: [String: String] = [:]
        func digest(_ path: String?) -> String? {
            guard let path else { return nil }
            if path == MethodSpec.generatedCalibration { return "generated-haystack-seed0" }
            if let d = digests[path] { return d }
            let d = ContentDigest.of(path: resolve(path)) ?? "absent"
            digests[path] = d
            return d
        }
        for model in sweep.models {
            let modelIdentity = ModelIdentity(path: model.path, revision: model.revision,
                                              digest: model.revision == nil ? digest(model.path) : nil)
            for method in sweep.methods {
                var compressId: String?
                if method.algorithm != "none" {
                    let ident = CompressIdentity(scheme: Self.identityScheme, kind: "compress", model: modelIdentity,
                                                 algorithm: method.algorithm, params: method.params,
                                                 calibration: method.calibration,
                                                 calibrationDigest: digest(method.calibration))
                    let (id, json) = Self.hash(ident)
                    compressId = id
                    units.append(UnitSpec(id: id, slot: "\(model.name)/\(method.name)", kind: .compress, model: model,
                                          method: method, task: nil, shard: 0, shardCount: 1, generation: nil,
                                          dependsOn: [], identityJSON: json,
                                          estimatedCost: CostModel.compress(model: model, method: method),
                                          memoryGiB: 0))
                }
                if let analysis = sweep.analysis, let compressId {
                    let ident = AnalysisIdentity(scheme: Self.identityScheme, kind: "analysis", artifact: compressId,
                                                 model: modelIdentity, analysis: analysis, metricsVersion: 1)
                    let (id, json) = Self.hash(ident)
                    units.append(UnitSpec(id: id, slot: "\(model.name)/\(method.name)/analysis", kind: .analysis,
                                          model: model, method: method, task: nil, shard: 0, shardCount: 1,
                                          generation: nil, dependsOn: [compressId], identityJSON: json,
                                          estimatedCost: CostModel.analysis(model: model, analysis: analysis),
                                          memoryGiB: 0, analysis: analysis))
                }
                for task in sweep.tasks {
                    var gen = task.generation ?? sweep.generation
                    if let dtype = method.dtype { gen.dtype = dtype }
                    for shard in 0..<max(1, task.shards) {
                        let ident = EvalIdentity(scheme: Self.identityScheme, kind: "eval", artifact: compressId,
                                                 model: modelIdentity, suite: task.suite, subset: task.subset,
                                                 data: task.data, dataDigest: digest(task.data), limit: task.limit,
                                                 params: task.params, shard: shard, shardCount: max(1, task.shards),
                                                 promptVersion: SuiteVersions.prompt[task.suite] ?? 0,
                                                 scorerVersion: SuiteVersions.scorer[task.suite] ?? 0,
                                                 generation: gen, tensorParallel: model.tensorParallel)
                        let (id, json) = Self.hash(ident)
                        let shardSuffix = task.shards > 1 ? "#\(shard)" : ""
                        units.append(UnitSpec(id: id, slot: "\(model.name)/\(method.name)/\(task.name)\(shardSuffix)",
                                              kind: .eval, model: model, method: method, task: task, shard: shard,
                                              shardCount: max(1, task.shards), generation: gen,
                                              dependsOn: compressId.map { [$0] } ?? [], identityJSON: json,
                                              estimatedCost: CostModel.eval(model: model, method: method, task: task),
                                              memoryGiB: CostModel.servingMemoryGiB(model: model, method: method, generation: gen)))
                    }
                }
            }
        }
        return units
    }

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : baseDirectory + "/" + path
    }

    /// SHA-256 of the canonical (sorted-key) JSON of an identity, and that JSON.
    static func hash<T: Encodable>(_ value: T) -> (String, String) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(value)) ?? Data()
        let json = String(decoding: data, as: UTF8.self)
        return (String(Digest.sha256Hex(json).prefix(32)), json)
    }
}

struct ModelIdentity: Encodable {
    var path: String
    var revision: String?
    var digest: String?
}

struct CompressIdentity: Encodable {
    var scheme: String
    var kind: String
    var model: ModelIdentity
    var algorithm: String
    var params: [String: ParamValue]
    var calibration: String?
    var calibrationDigest: String?
}

struct AnalysisIdentity: Encodable {
    var scheme: String
    var kind: String
    var artifact: String
    var model: ModelIdentity
    var analysis: AnalysisSpec
    var metricsVersion: Int
}

struct EvalIdentity: Encodable {
    var scheme: String
    var kind: String
    var artifact: String?
    var model: ModelIdentity
    var suite: String
    var subset: String?
    var data: String?
    var dataDigest: String?
    var limit: Int?
    var params: [String: ParamValue]
    var shard: Int
    var shardCount: Int
    var promptVersion: Int
    var scorerVersion: Int
    var generation: GenerationSettings
    /// Tensor-parallel degree changes numerics (cluster.md §5 rule 2).
    var tensorParallel: Int
}
