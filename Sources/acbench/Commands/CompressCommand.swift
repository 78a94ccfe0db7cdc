import ArgumentParser
import Kernels
import Protocol
import Worker
#if canImport(Glibc)
import Glibc
#endif

/// `acbench compress MODEL --method M [params] --out DIR`: compress a checkpoint layer by layer.
struct CompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Compress an HF Llama-family checkpoint (RTN, GPTQ, AWQ, magnitude, Wanda, SparseGPT) into a folder vLLM serves.",
        discussion: """
            Quantizers write 4-bit GPTQ (default for rtn/gptq), AWQ GEMM (default for awq) or compressed-tensors \
            pack-quantized checkpoints; pruners write dense safetensors with the zeros in place. Calibration: \
            --calibration FILE (.txt, .jsonl with a "text" field, or .ids/.tokens with one token-id sequence per \
            line); without it a seeded generated text is used. Defaults as ACBench ran them: 128 × 2048 tokens \
            (seed 0), AWQ 128 × 512 (seed 42). Hidden sizes that are not a multiple of 128 (SmolLM2: 576) need \
            --group-size 64. The folder gets a manifest.json with SHA-256 digests. See docs/COMPRESSION.md.
            """)

    @Argument(help: "HF model folder (config.json, *.safetensors, tokenizer.json).")
    var model: String

    @Option(help: "rtn | gptq | awq | magnitude | wanda | sparsegpt")
    var method: String

    @Option(help: "Output folder.")
    var out: String

    @Option(help: "Output format: gptq | awq | compressed-tensors | dense (default by method).")
    var format: String?

    @Option(name: .customLong("group-size"), help: "Quantization group size (-1: per row).")
    var groupSize: Int?

    @Flag(help: "Asymmetric quantization (zero points); written as AWQ or compressed-tensors.")
    var asymmetric = false

    @Flag(name: .customLong("act-order"), help: "GPTQ act-order (desc_act).")
    var actOrder = false

    @Option(help: "GPTQ/SparseGPT dampening (fraction of mean diag H).")
    var damp: Double?

    @Option(help: "Pruning sparsity (0.5).")
    var sparsity: Double?

    @Option(help: "N:M pruning pattern, e.g. 2:4 (default unstructured).")
    var pattern: String?

    @Option(help: "Calibration data file (.txt, .jsonl, .ids).")
    var calibration: String?

    @Option(help: "Calibration sequences (default per method: 128).")
    var samples: Int?

    @Option(name: .customLong("seq-len"), help: "Tokens per calibration sequence (default 2048, AWQ 512).")
    var seqLen: Int?

    @Option(help: "Calibration sampling seed.")
    var seed: Int?

    @Option(help: "OpenBLAS threads (default: all cores).")
    var threads: Int?

    func run() throws {
        if let threads { BLASThreads.set(threads) }
        var params: [String: ParamValue] = [:]
        if let format { params["format"] = .string(format) }
        if let groupSize { params["group_size"] = .int(groupSize) }
        if asymmetric { params["sym"] = .bool(false) }
        if actOrder { params["act_order"] = .bool(true) }
        if let damp { params["damp"] = .double(damp) }
        if let sparsity { params["sparsity"] = .double(sparsity) }
        if let pattern { params["pattern"] = .string(pattern) }
        if let samples { params["samples"] = .int(samples) }
        if let seqLen { params["seq_len"] = .int(seqLen) }
        if let seed { params["seed"] = .int(seed) }
        let recipe: CompressionRecipe
        do { recipe = try CompressJob.recipe(algorithm: method, params: params) } catch { throw ValidationError("\(error)") }
        print("compress \(model) → \(out): \(recipe.summary)")
        let (info, seconds) = try CompressJob.run(model: model, recipe: recipe, params: params, calibrationPath: calibration,
                                                  out: out, host: "local") { done, total, note in
            progressBar(done: done, total: total, note: note)
        }
        print("\nwrote \(info.path) (\(info.bytes) bytes, digest \(info.digest.prefix(16))…) in \(String(Double(Int(seconds * 10)) / 10)) s")
    }
}

/// One-line progress bar on stderr: `[#####.....] 12/30 note`.
func progressBar(done: Int, total: Int, note: String) {
    let width = 30
    let filled = total > 0 ? done * width / total : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    var line = "\r[\(bar)] \(done)/\(total) \(note)"
    if line.count > 100 { line = String(line.prefix(100)) }
    let bytes = Array((line + "\u{1B}[K").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
