#if canImport(Glibc)
import Glibc
#endif

/// What a finished compression wrote.
public struct CompressSummary: Sendable {
    public var directory: String
    public var format: CheckpointFormat
    /// Files written, relative to `directory` (weights, config, tokenizer files).
    public var files: [String]
    public var seconds: Double
}

/// Compresses the HF checkpoint in `source` layer by layer and writes the result to `out`.
///
/// Memory: the calibration activations of one layer (`samples × seqLen × hidden` fp32, plus the
/// layer's captured linear inputs for AWQ, or one copy for the Hessian passes), the current layer's
/// weights in fp32, and the output tensors of finished layers (packed or in the model dtype).
/// `progress(layer, layers, note)` is called after each layer.
public func compressCheckpoint(source: String, recipe: CompressionRecipe, calibration: [[Int]], out: String,
                               progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> CompressSummary {
    try recipe.validate()
    let t0 = monotonicSeconds()
    let config = try ModelConfig(directory: source)
    let ck = try Checkpoint(directory: source)
    var shell = try LlamaModel(shell: config)
    if recipe.needsCalibration && calibration.isEmpty { throw CompressionError.badInput("\(recipe.method.rawValue) needs calibration sequences") }
    // Layer-0 input: embeddings of the calibration sequences.
    var x = Activations(hidden: Matrix(rows: 0, cols: config.hiddenSize), lengths: [])
    if recipe.needsCalibration {
        shell.embedTokens = Matrix(rows: config.vocabSize, cols: config.hiddenSize,
                                   data: try ck.floats("model.embed_tokens.weight", shape: [config.vocabSize, config.hiddenSize]))
        x = shell.embed(calibration)
        shell.embedTokens = Matrix(rows: 0, cols: 0)
    }
    try makeDirectory(out)
    var writer = ShardWriter(directory: out)
    for name in ck.names where !name.hasPrefix("model.layers.") { try writer.add(name, try rawTensor(ck, name)) }

    let layers = config.numLayers
    for l in 0..<layers {
        let lt = monotonicSeconds()
        var layer = try loadDecoderLayer(config: config, layer: l, tensor: ck.tensorSource)
        var quantized: [LinearKind: QuantizedWeight] = [:]
        switch recipe.method {
        case .rtn:
            for k in LinearKind.allCases {
                quantized[k] = try rtnQuantize(layer[k].weight, bits: recipe.bits, groupSize: recipe.groupSize,
                                               symmetric: recipe.symmetric, kind: recipe.quantizerKind)
            }
        case .magnitude:
            for k in LinearKind.allCases {
                layer[k].weight = magnitudePrune(layer[k].weight, sparsity: recipe.sparsity, pruneN: recipe.pruneN, pruneM: recipe.pruneM).weight
            }
        case .wanda:
            var stats: [LinearKind: WandaStatistic] = [:]
            var probe = x
            shell.layers = [layer]
            shell.runLayer(0, &probe) { site, input in
                var s = stats[site.kind] ?? WandaStatistic(columns: input.cols)
                s.add(input, lengths: x.lengths)
                stats[site.kind] = s
            }
            for k in LinearKind.allCases {
                layer[k].weight = wandaPrune(layer[k].weight, scalerRow: stats[k]!.scalerRow, sparsity: recipe.sparsity,
                                             pruneN: recipe.pruneN, pruneM: recipe.pruneM).weight
            }
        case .gptq, .sparsegpt:
            let order: [[LinearKind]] = recipe.sequential ? [[.k, .v, .q], [.o], [.up, .gate], [.down]] : [LinearKind.allCases]
            for group in order {
                var hessians: [LinearKind: HessianAccumulator] = [:]
                var probe = x
                shell.layers = [layer]
                shell.runLayer(0, &probe) { site, input in
                    guard group.contains(site.kind) else { return }
                    var h = hessians[site.kind] ?? HessianAccumulator(columns: input.cols)
                    h.add(input, lengths: x.lengths)
                    hessians[site.kind] = h
                }
                for k in group {
                    if recipe.method == .gptq {
                        let r = try gptqQuantize(layer[k].weight, hessian: hessians[k]!.h, options: GPTQOptions(
                            bits: recipe.bits, groupSize: recipe.groupSize, symmetric: recipe.symmetric, blockSize: recipe.blockSize,
                            percDamp: recipe.percDamp, actOrder: recipe.actOrder))
                        quantized[k] = r.quantized
                        layer[k].weight = r.quantized.dequantized()
                    } else {
                        layer[k].weight = try sparseGPTPrune(layer[k].weight, hessian: hessians[k]!.h, options: SparseGPTOptions(
                            sparsity: recipe.sparsity, pruneN: recipe.pruneN, pruneM: recipe.pruneM,
                            blockSize: recipe.blockSize, percDamp: recipe.percDamp)).weight
                    }
                }
            }
        case .awq:
            // AWQ feeds the FP output forward (awqSearchLayer updates x).
            let r = try awqSearchLayer(model: shell, layer: layer, x: &x,
                                       options: AWQOptions(bits: recipe.bits, groupSize: recipe.groupSize))
            layer = r.layer
            for k in LinearKind.allCases {
                quantized[k] = try rtnQuantize(layer[k].weight, bits: recipe.bits, groupSize: recipe.groupSize, symmetric: false, kind: .awq)
            }
        }
        // The next layer's input: the compressed layer's output (AWQ already has the FP one).
        if recipe.needsCalibration && recipe.method != .awq {
            shell.layers = [layer]
            shell.runLayer(0, &x)
        }
        shell.layers = []
        try writer.addAll(try layerTensors(layer, quantized: quantized, layer: l, recipe: recipe, source: ck))
        progress(l + 1, layers, "layer \(l + 1)/\(layers) \(recipe.method.rawValue) \(String(format1(monotonicSeconds() - lt)))s")
    }
    var files = try writer.finish()
    files.append("config.json")
    try writeConfig(source: source, out: out, recipe: recipe)
    files += try copyModelFiles(from: source, to: out)
    return CompressSummary(directory: out, format: recipe.outputFormat, files: files.sorted(), seconds: monotonicSeconds() - t0)
}

/// The output tensors of one compressed layer in the recipe's format.
func layerTensors(_ layer: DecoderLayer, quantized: [LinearKind: QuantizedWeight], layer l: Int,
                  recipe: CompressionRecipe, source ck: Checkpoint) throws -> [String: TensorData] {
    let p = "model.layers.\(l)."
    var t: [String: TensorData] = [:]
    func dtype(_ name: String) throws -> DType { let d = try ck.info(name).dtype; return d == .F32 || d == .F16 || d == .BF16 ? d : .F32 }
    for (name, v) in [("input_layernorm.weight", layer.inputNorm), ("post_attention_layernorm.weight", layer.postAttentionNorm)] {
        t[p + name] = .floats(v, shape: [v.count], as: try dtype(p + name))
    }
    for k in LinearKind.allCases {
        let prefix = p + k.rawValue
        let lin = layer[k]
        if let q = quantized[k], recipe.outputFormat != .dense {
            switch recipe.outputFormat {
            case .gptq: t.merge(try gptqTensors(q, prefix: prefix, bias: lin.bias)) { $1 }
            case .awq: t.merge(try awqTensors(q, prefix: prefix, bias: lin.bias)) { $1 }
            case .compressedTensors: t.merge(try compressedTensorsTensors(q, prefix: prefix, bias: lin.bias)) { $1 }
            case .dense: break
            }
        } else {
            let w = quantized[k]?.dequantized() ?? lin.weight
            t[prefix + ".weight"] = .floats(w.data, shape: [w.rows, w.cols], as: try dtype(prefix + ".weight"))
            if let b = lin.bias { t[prefix + ".bias"] = .floats(b, shape: [b.count], as: try dtype(prefix + ".weight")) }
        }
    }
    return t
}

/// A tensor's stored bytes, unchanged.
func rawTensor(_ ck: Checkpoint, _ name: String) throws -> TensorData {
    let f = try ck.file(for: name)
    let info = try f.info(name)
    return TensorData(dtype: info.dtype, shape: info.shape, bytes: Array(try f.bytes(name)))
}

/// Writes tensors into shards of about `maxBytes` as they come; `finish` names them and writes the index.
struct ShardWriter {
    let directory: String
    var maxBytes = 2 << 30
    var pending: [String: TensorData] = [:]
    var pendingBytes = 0
    var shards: [(file: String, names: [String], bytes: Int)] = []

    init(directory: String) { self.directory = directory }

    mutating func add(_ name: String, _ t: TensorData) throws {
        pending[name] = t
        pendingBytes += t.bytes.count
        if pendingBytes >= maxBytes { try flush() }
    }

    mutating func addAll(_ ts: [String: TensorData]) throws { for (n, t) in ts.sorted(by: { $0.key < $1.key }) { try add(n, t) } }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let file = "part-\(shards.count).safetensors.partial"
        try writeSafeTensors(pending, to: directory + "/" + file)
        shards.append((file, pending.keys.sorted(), pendingBytes))
        pending = [:]; pendingBytes = 0
    }

    /// Renames the shards to `model.safetensors` or `model-0000k-of-0000n.safetensors` (+ index).
    mutating func finish() throws -> [String] {
        try flush()
        if shards.count == 1 {
            try renameFile(directory + "/" + shards[0].file, directory + "/model.safetensors")
            return ["model.safetensors"]
        }
        func pad5(_ i: Int) -> String { let s = String(i); return String(repeating: "0", count: max(0, 5 - s.count)) + s }
        var map: [(String, String)] = [], files: [String] = [], total = 0
        for (i, s) in shards.enumerated() {
            let name = "model-\(pad5(i + 1))-of-\(pad5(shards.count)).safetensors"
            try renameFile(directory + "/" + s.file, directory + "/" + name)
            files.append(name); total += s.bytes
            for n in s.names { map.append((n, name)) }
        }
        map.sort { $0.0 < $1.0 }
        let body = map.map { "    " + jsonQuoted($0.0) + ": " + jsonQuoted($0.1) }.joined(separator: ",\n")
        let index = "{\n  \"metadata\": {\n    \"total_size\": \(total)\n  },\n  \"weight_map\": {\n" + body + "\n  }\n}\n"
        try writeFileAtomically(directory + "/model.safetensors.index.json", Array(index.utf8))
        return files + ["model.safetensors.index.json"]
    }
}

/// `config.json` of the source with `quantization_config` set (or removed for dense output).
func writeConfig(source: String, out: String, recipe: CompressionRecipe) throws {
    guard case .object(var obj) = try readJSONFile(source + "/config.json") else {
        throw CompressionError.badInput("\(source)/config.json: not a JSON object")
    }
    obj["quantization_config"] = nil
    if let q = quantizationConfigJSON(recipe.outputFormat, bits: recipe.bits,
                                      groupSize: recipe.groupSize <= 0 ? -1 : recipe.groupSize,
                                      symmetric: recipe.method == .awq ? false : recipe.symmetric,
                                      actOrder: recipe.actOrder, damp: recipe.percDamp) {
        obj["quantization_config"] = try JSON.parse(q)
    }
    try writeFileAtomically(out + "/config.json", Array(JSON.object(obj).text.utf8))
}

/// Copies tokenizer and generation files (everything but weights, the index and config.json).
func copyModelFiles(from source: String, to out: String) throws -> [String] {
    var copied: [String] = []
    guard let dir = opendir(source) else { throw CompressionError.badInput("\(source): cannot list the model folder") }
    defer { closedir(dir) }
    while let e = readdir(dir) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name.hasPrefix(".") || name.hasSuffix(".safetensors") || name == "model.safetensors.index.json"
            || name == "config.json" || name == "quantize_config.json" || name == "ACBENCH_CHECKSUM" { continue }
        guard let bytes = readFile(source + "/" + name) else { continue }  // sub-folders are skipped
        try writeFileAtomically(out + "/" + name, bytes)
        copied.append(name)
    }
    return copied
}

func makeDirectory(_ path: String) throws {
    var partial = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        partial += "/" + part
        if mkdir(partial, 0o755) != 0 && errno != EEXIST { throw CompressionError.badInput("\(partial): cannot create the folder") }
    }
}

func renameFile(_ a: String, _ b: String) throws {
    guard rename(a, b) == 0 else { throw CompressionError.badInput("cannot rename \(a) to \(b)") }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func format1(_ v: Double) -> String { String(Double(Int(v * 10)) / 10) }
