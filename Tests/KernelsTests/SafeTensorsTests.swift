import Testing
@testable import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// A safetensors file from a literal header and data buffer (header padded to a multiple of 8).
func rawSafeTensors(_ header: String, data: [UInt8]) -> [UInt8] {
    var h = Array(header.utf8)
    while (8 + h.count) % 8 != 0 { h.append(0x20) }
    var out: [UInt8] = []
    appendLE(&out, UInt64(h.count))
    return out + h + data
}

func writeTemp(_ bytes: [UInt8], name: String = "t.safetensors") throws -> String {
    let path = makeTempDir() + "/" + name
    try writeFileAtomically(path, bytes)
    return path
}

func expectError(_ kind: SafeTensorsError.Kind, tensor: String? = nil, _ body: () throws -> Void,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected \(kind)", sourceLocation: sourceLocation)
    } catch let e as SafeTensorsError {
        #expect(e.kind == kind, "\(e)", sourceLocation: sourceLocation)
        if let tensor { #expect(e.tensor == tensor, "\(e)", sourceLocation: sourceLocation) }
        #expect(e.description.contains(e.file), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

/// Python with the `safetensors` package, if one is available (`ACBENCH_PYTHON` or a venv at the package root).
let pythonWithSafetensors: String? = {
    var candidates: [String] = []
    if let e = getenv("ACBENCH_PYTHON") { candidates.append(String(cString: e)) }
    candidates += [packageRoot + "/.venv-bench/bin/python", packageRoot + "/.venv-vllm/bin/python"]
    for c in candidates where fileExists(c) {
        if let out = runCommand("\(c) -c 'import safetensors; print(\"ok\")' 2>/dev/null"), out.contains("ok") { return c }
    }
    return nil
}()

/// Runs a shell command and returns its standard output, or nil when it fails.
func runCommand(_ command: String) -> String? {
    guard let f = popen(command, "r") else { return nil }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n == 0 { break }
        out += buf.prefix(n)
    }
    return pclose(f) == 0 ? String(decoding: out, as: UTF8.self) : nil
}

@Suite("SafeTensors")
struct SafeTensorsTests {
    let sample: [String: TensorData] = [
        "a.weight": .floats([1, -2.5, 3.25, 0, 1e-3, -7], shape: [2, 3]),
        "b.half": .floats([1, 0.5, -65504, 6e-8], shape: [4], as: .F16),
        "c.bf16": .floats([1, -0.15625, 3e38], shape: [3], as: .BF16),
        "d.ids": .int64s([0, -1, Int64.max], shape: [3]),
        "e.codes": .int32s([7, -8], shape: [1, 2]),
        "f.mask": .uint8s([1, 0, 1], shape: [3]),
        "g.scalar": .floats([42], shape: []),
        "h.empty": .floats([], shape: [0, 4]),
    ]

    @Test func roundTrip() throws {
        let path = try writeTemp(serializeSafeTensors(sample))
        let f = try SafeTensorsFile(path: path)
        #expect(f.metadata == ["format": "pt"])
        #expect(Set(f.names) == Set(sample.keys))
        #expect(try f.floats("a.weight", shape: [2, 3]) == [1, -2.5, 3.25, 0, 1e-3, -7])
        #expect(try f.floats("b.half") == [1, 0.5, -65504, Float(halfBits: Float(6e-8).halfBits)])
        #expect(try f.floats("c.bf16")[0...1] == [1, -0.15625])
        #expect(try f.integers("d.ids") == [0, -1, Int64.max])
        #expect(try f.integers("e.codes") == [7, -8])
        #expect(try f.integers("f.mask") == [1, 0, 1])
        #expect(try f.floats("g.scalar") == [42])
        #expect(try f.info("g.scalar").shape == [])
        #expect(try f.floats("h.empty") == [])
    }

    @Test func layoutFollowsTheFormat() throws {
        let bytes = serializeSafeTensors(["x": .floats([1, 2], shape: [2]), "i": .uint8s([9], shape: [1])])
        let n = Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        #expect((8 + n) % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.trimmingSuffixSpaces == #"{"__metadata__":{"format":"pt"},"i":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"x":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}}"#)
        #expect(Array(bytes[(8 + n)...]) == [9, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
    }

    @Test func halfAndBFloat16AreExact() {
        for bits: UInt16 in [0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0x7BFF, 0xFBFF, 0x7C00, 0x3555] {
            #expect(Float(halfBits: bits).halfBits == bits, "f16 \(bits)")
        }
        #expect(Float(halfBits: 0x3C00) == 1)
        #expect(Float(halfBits: 0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(Float(1.0 + 1.0 / 2048).halfBits == 0x3C00)   // tie → even
        #expect(Float(0.1).bfloat16Bits == 0x3DCD)
        #expect(Float(1.00390625).bfloat16Bits == 0x3F80)      // tie → even
    }

    @Test func pythonSafetensorsReadsOurFiles() throws {
        guard let python = pythonWithSafetensors else {
            print("skipped: no Python with safetensors (set ACBENCH_PYTHON); the layout test checks the format byte-for-byte")
            return
        }
        let path = try writeTemp(serializeSafeTensors(sample))
        let script = """
        from safetensors import safe_open
        import numpy as np
        with safe_open('\(path)', 'np') as f:
            print(f.metadata()['format'])
            for k in sorted(f.keys()):
                t = f.get_slice(k)
                print(k, t.get_dtype(), list(t.get_shape()))
            print(f.get_tensor('a.weight').tolist(), f.get_tensor('d.ids').tolist(), f.get_tensor('b.half').astype('float32').tolist()[:3])
        """
        let out = try #require(runCommand("\(python) -c \"\(script)\""), "python failed to read \(path)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "pt")
        #expect(lines[1] == "a.weight F32 [2, 3]")
        #expect(lines[2] == "b.half F16 [4]")
        #expect(lines[3] == "c.bf16 BF16 [3]")
        #expect(lines[7] == "g.scalar F32 []")
        #expect(lines[8] == "h.empty F32 [0, 4]")
        #expect(lines[9] == "[[1.0, -2.5, 3.25], [0.0, 0.0010000000474974513, -7.0]] [0, -1, 9223372036854775807] [1.0, 0.5, -65504.0]")
    }

    @Test func readsFixtureFiles() throws {
        let f = try SafeTensorsFile(path: fixture("forward/llama/model.safetensors"))
        #expect(try f.info("model.embed_tokens.weight").shape == [256, 64])
        let r = try SafeTensorsFile(path: fixture("forward/llama/reference.safetensors"))
        #expect(try r.info("seq0.input_ids").dtype == .I64)
        #expect(try r.integers("seq0.input_ids").count == 5)
        #expect(try r.doubles("seq0.logits_f64").count == 5 * 256)
    }

    // MARK: bad files

    @Test func truncatedFile() throws {
        let good = serializeSafeTensors(["w": .floats([1, 2, 3, 4], shape: [4])])
        expectError(.truncated, tensor: "w") { _ = try SafeTensorsFile(path: try writeTemp(Array(good.dropLast(3)))) }
        expectError(.truncated) { _ = try SafeTensorsFile(path: try writeTemp(Array(good.prefix(20)))) }
        expectError(.headerTooShort) { _ = try SafeTensorsFile(path: try writeTemp([1, 2, 3])) }
    }

    @Test func badHeaders() throws {
        var huge: [UInt8] = []
        appendLE(&huge, UInt64(200_000_000))
        expectError(.headerLength) { _ = try SafeTensorsFile(path: try writeTemp(huge + [0x7B, 0x7D])) }
        expectError(.invalidHeaderJSON) { _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"w": {"dtype": "F32",}"#, data: []))) }
        expectError(.invalidHeaderJSON) { _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"[1]"#, data: []))) }
        expectError(.invalidEntry, tensor: "w") {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])))
        }
        expectError(.invalidHeaderJSON) {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [0, 0])))
        }
    }

    @Test func wrongDType() throws {
        expectError(.unknownDType, tensor: "w") {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])))
        }
        // Declared F16 but sized for F32.
        expectError(.sizeMismatch, tensor: "w") {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8))))
        }
        let f = try SafeTensorsFile(path: try writeTemp(serializeSafeTensors(["ids": .int64s([1], shape: [1]), "x": .floats([1], shape: [1])])))
        expectError(.wrongDType, tensor: "ids") { _ = try f.floats("ids") }
        expectError(.wrongDType, tensor: "x") { _ = try f.integers("x") }
        expectError(.sizeMismatch, tensor: "x") { _ = try f.floats("x", shape: [2]) }
    }

    @Test func overlappingAndGappedOffsets() throws {
        let data = [UInt8](repeating: 0, count: 8)
        expectError(.offsets, tensor: "b") {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, data: data)))
        }
        expectError(.offsets, tensor: "b") {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: data)))
        }
        expectError(.offsets) {
            _ = try SafeTensorsFile(path: try writeTemp(rawSafeTensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: data)))
        }
    }

    @Test func missingTensor() throws {
        let f = try SafeTensorsFile(path: try writeTemp(serializeSafeTensors(["x": .floats([1], shape: [1])])))
        expectError(.missingTensor, tensor: "y") { _ = try f.floats("y") }
    }

    @Test func shardedCheckpoint() throws {
        let dir = makeTempDir()
        try writeShardedSafeTensors([["a": .floats([1, 2], shape: [2])], ["b": .floats([3], shape: [1], as: .BF16)]], to: dir)
        #expect(fileExists(dir + "/model-00001-of-00002.safetensors"))
        let index = try readJSON(dir + "/model.safetensors.index.json")
        #expect(index["metadata"]?["total_size"]?.int == 10)
        let c = try Checkpoint(directory: dir)
        #expect(c.names == ["a", "b"])
        #expect(try c.floats("b") == [3])
        expectError(.missingTensor, tensor: "zzz") { _ = try c.floats("zzz") }
        // An index that names a tensor its shard lacks.
        try writeFileAtomically(dir + "/model.safetensors.index.json",
                                Array(#"{"weight_map": {"a": "model-00001-of-00002.safetensors", "q": "model-00001-of-00002.safetensors"}}"#.utf8))
        expectError(.missingTensor, tensor: "q") { _ = try Checkpoint(directory: dir) }
    }
}

@Suite("ModelConfig")
struct ModelConfigTests {
    @Test(arguments: ["llama", "qwen2", "llama3_rope_tied", "mistral_swa"])
    func bothLayoutsAgree(model: String) throws {
        let dir = fixture("forward/" + model)
        let new = try ModelConfig(directory: dir)
        let legacy = try ModelConfig(json: try readJSON(dir + "/config_legacy.json"))
        #expect(new.rope == legacy.rope, "\(model)")
        #expect(new.hiddenSize == 64 && new.numHeads == 4 && new.numKVHeads == 2 && new.headDim == 16)
        try new.checkSupported()
        switch model {
        case "qwen2": #expect(new.qkvBias && !new.oBias)
        case "llama3_rope_tied":
            #expect(new.tieWordEmbeddings)
            #expect(new.rope.kind == .llama3(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192))
        case "mistral_swa": #expect(new.slidingWindow == 8)
        default: #expect(!new.qkvBias && new.slidingWindow == nil && !new.tieWordEmbeddings)
        }
    }

    @Test func rejectsUnsupportedRoPE() throws {
        let c = try ModelConfig(json: try JSON.parse(#"{"architectures":["LlamaForCausalLM"],"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":8,"vocab_size":4,"rope_scaling":{"type":"yarn","factor":2}}"#))
        #expect(throws: ModelConfigError.self) { try c.checkSupported() }
    }
}

extension String {
    var trimmingSuffixSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
