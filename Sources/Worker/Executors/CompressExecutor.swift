import Kernels
import Protocol
import Tasks
#if canImport(Glibc)
import Glibc
#endif

/// Compress units for algorithms rtn, gptq, awq, magnitude, wanda and sparsegpt (issue 5).
///
/// The artifact goes to `<artifactsDir>/<unit id>/` with a `manifest.json` written last (it carries
/// the recipe, the file list with SHA-256 digests and the artifact digest); a folder whose manifest is
/// complete is reused without recompressing. The BLAS work runs on its own OS thread, not on Swift's
/// cooperative pool; each finished layer reports progress through the sink (which renews the lease).
public struct CompressExecutor: UnitExecutor {
    public init() {}

    public func accepts(_ unit: UnitSpec) -> Bool {
        unit.kind == .compress && CompressionMethod(rawValue: unit.method.algorithm) != nil
    }

    public func run(_ context: UnitContext, sink: any UnitSink) async throws -> UnitOutcome {
        let unit = context.unit
        let dir = context.worker.artifactsDir + "/" + unit.id
        if let info = CompressJob.existingArtifact(dir, host: context.worker.host) {
            sink.progress(done: 1, total: 1, note: "reused artifact \(dir)")
            return UnitOutcome(sampleCount: 0, summary: ["reused": 1], artifact: info)
        }
        let recipe: CompressionRecipe
        do { recipe = try CompressJob.recipe(algorithm: unit.method.algorithm, params: unit.method.params) }
        catch { throw UnitFailure(.badModel, "method \(unit.method.name): \(error)") }
        let model = unit.model.path, host = context.worker.host
        let calibration = unit.method.calibration == MethodSpec.generatedCalibration ? nil : unit.method.calibration
        let params = unit.method.params
        let result: Result<(ArtifactInfo, Double), Error> = await withCheckedContinuation { cont in
            startOSThread(name: "compress-\(unit.slot)") {
                do {
                    let r = try CompressJob.run(model: model, recipe: recipe, params: params, calibrationPath: calibration,
                                                out: dir, host: host) { done, total, note in
                        sink.progress(done: done, total: total, note: note)
                    }
                    cont.resume(returning: .success(r))
                } catch { cont.resume(returning: .failure(error)) }
            }
        }
        switch result {
        case .success(let (info, seconds)):
            return UnitOutcome(sampleCount: 0, summary: ["seconds": seconds], artifact: info)
        case .failure(let error as UnitFailure): throw error
        case .failure(let error as CompressionError):
            if case .badInput = error { throw UnitFailure(.dataMissing, "\(error)") }
            throw UnitFailure(.badModel, "\(error)")
        case .failure(let error): throw UnitFailure(.badModel, "compressing \(model): \(error)")
        }
    }
}

/// The compression job shared by `acbench compress` and the executor.
public enum CompressJob {
    /// A recipe from sweep parameters: `bits`, `group_size`, `sym`, `act_order`, `damp`, `block_size`,
    /// `sparsity`, `pattern` ("2:4"), `true_sequential`, `format` (gptq | awq | compressed-tensors | dense).
    public static func recipe(algorithm: String, params: [String: ParamValue]) throws -> CompressionRecipe {
        guard let method = CompressionMethod(rawValue: algorithm) else {
            throw CompressionError.badParameter("algorithm \(algorithm) is not one of \(CompressionMethod.allCases.map(\.rawValue))")
        }
        var r = CompressionRecipe(method: method)
        let params = try normalized(params)
        let known: Set<String> = ["bits", "group_size", "sym", "zero_point", "act_order", "damp", "block_size", "sparsity",
                                  "pattern", "true_sequential", "format", "samples", "seq_len", "seed"]
        for key in params.keys where !known.contains(key) {
            throw CompressionError.badParameter("unknown parameter \(key) (known: \(known.sorted().joined(separator: ", ")))")
        }
        func int(_ k: String) throws -> Int? {
            guard let v = params[k] else { return nil }
            guard let i = v.intValue else { throw CompressionError.badParameter("\(k) = \(v): expected an integer") }
            return i
        }
        func double(_ k: String) throws -> Double? {
            guard let v = params[k] else { return nil }
            guard let d = v.doubleValue else { throw CompressionError.badParameter("\(k) = \(v): expected a number") }
            return d
        }
        func bool(_ k: String) throws -> Bool? {
            guard let v = params[k] else { return nil }
            guard let b = v.boolValue else { throw CompressionError.badParameter("\(k) = \(v): expected true or false") }
            return b
        }
        if let v = try int("bits") { r.bits = v }
        if let v = try int("group_size") { r.groupSize = v }
        if let v = try bool("sym") { r.symmetric = v }
        if let v = try bool("zero_point") {
            if params["sym"] != nil { throw CompressionError.badParameter("give sym or zero_point, not both (zero_point = !sym)") }
            if method == .awq && !v { throw CompressionError.badParameter("zero_point = false: AWQ here always quantizes with zero points") }
            r.symmetric = !v
        }
        if let v = try bool("act_order") { r.actOrder = v }
        if let v = try double("damp") { r.percDamp = Float(v) }
        if let v = try int("block_size") { r.blockSize = v }
        if let v = try double("sparsity") { r.sparsity = Float(v) }
        if let v = try bool("true_sequential") { r.trueSequential = v }
        if let v = params["pattern"], v.description != "unstructured" {
            let parts = v.description.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else {
                throw CompressionError.badParameter("pattern = \(v): expected \"unstructured\" or N:M such as \"2:4\"")
            }
            r.pruneN = parts[0]; r.pruneM = parts[1]
        }
        if let v = params["format"] {
            guard let f = CheckpointFormat(rawValue: v.description) else {
                throw CompressionError.badParameter("format = \(v): expected one of \(CheckpointFormat.allCases.map(\.rawValue))")
            }
            r.format = f
        }
        try r.validate()
        return r
    }

    /// The parameter names of ACBench's scripts and the reference implementations (`nsamples`,
    /// `seqlen`) mapped to acbench's (`samples`, `seq_len`); giving both spellings is an error.
    public static func normalized(_ params: [String: ParamValue]) throws -> [String: ParamValue] {
        var out = params
        for (alias, name) in [("nsamples", "samples"), ("seqlen", "seq_len")] {
            guard let v = out.removeValue(forKey: alias) else { continue }
            if out[name] != nil { throw CompressionError.badParameter("give \(name) or \(alias), not both") }
            out[name] = v
        }
        return out
    }

    /// The artifact in `dir` when its manifest is complete and every listed file is present.
    public static func existingArtifact(_ dir: String, host: String) -> ArtifactInfo? {
        guard let text = Files.readText(dir + "/manifest.json"), let json = try? JSON.parse(text),
              let digest = json["digest"]?.string, let files = json["files"]?.object else { return nil }
        var bytes: Int64 = 0
        for (name, entry) in files {
            guard let size = Files.size(dir + "/" + name), Int64(entry["bytes"]?.int ?? -1) == size else { return nil }
            bytes += size
        }
        return ArtifactInfo(path: dir, digest: digest, bytes: bytes, host: host)
    }

    /// Compresses `model` into `out` and writes `manifest.json`. Without a calibration file, methods
    /// that need one use a seeded generated haystack text (no third-party text), written next to the
    /// artifact. Returns the artifact and the seconds it took.
    public static func run(model: String, recipe: CompressionRecipe, params: [String: ParamValue] = [:], calibrationPath: String?,
                           out: String, host: String, progress: @escaping (Int, Int, String) -> Void) throws -> (ArtifactInfo, Double) {
        try Files.makeDirectories(out)
        unlink(out + "/manifest.json")
        let params = try normalized(params)
        var sequences: [[Int]] = []
        var calibrationNote = "none"
        if recipe.needsCalibration {
            var path = calibrationPath ?? ""
            if calibrationPath == nil {
                path = out + "/calibration.txt"
                let text = HaystackGenerator(seed: 0).text(minimumWords: 40_000)
                try Files.writeAtomic(path, Array(text.utf8))
            }
            var spec = recipe.defaultCalibration(path: path)
            if let v = params["samples"]?.intValue { spec.samples = v }
            if let v = params["seq_len"]?.intValue { spec.seqLen = v }
            if let v = params["seed"]?.intValue { spec.seed = UInt64(v) }
            let tokenizer = try? Tokenizer(path: model)
            sequences = try loadCalibration(spec, tokenizer: tokenizer)
            let digest = Digest.sha256Hex(Files.read(path) ?? [])
            calibrationNote = "\(calibrationPath ?? "generated haystack (seed 0)") sha256=\(digest) samples=\(sequences.count) seq_len=\(spec.seqLen) seed=\(spec.seed)"
        }
        let summary = try compressCheckpoint(source: model, recipe: recipe, calibration: sequences, out: out, progress: progress)
        // Manifest last: its presence marks a complete artifact.
        var entries: [String: JSON] = [:]
        var total: Int64 = 0
        var digestInput = ""
        for name in summary.files {
            let bytes = Files.read(out + "/" + name) ?? []
            let d = Digest.sha256Hex(bytes)
            entries[name] = .object(["bytes": .int(bytes.count), "sha256": .string(d)])
            total += Int64(bytes.count)
            digestInput += name + " " + d + "\n"
        }
        let digest = Digest.sha256Hex(digestInput)
        let manifest: JSON = .object([
            "source": .string(model), "recipe": .string(recipe.summary), "format": .string(recipe.outputFormat.rawValue),
            "calibration": .string(calibrationNote), "files": .object(entries), "digest": .string(digest),
            "seconds": .double(summary.seconds),
        ])
        try Files.writeAtomic(out + "/manifest.json", Array(manifest.text.utf8))
        return (ArtifactInfo(path: out, digest: digest, bytes: total, host: host), summary.seconds)
    }
}
