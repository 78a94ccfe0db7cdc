import ArgumentParser
import Kernels

/// `acbench logits MODEL_DIR (--text T | --ids 1,2,3) [--top K]`: next-token candidates at every position.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Run MODEL_DIR's forward pass (fp32, CPU) and show the top-k next tokens at every position.",
        discussion: """
            For each position: the top-K token ids, their tokens and logits, and the logsumexp over the whole \
            vocabulary (so logit − logsumexp is the log-probability). Supports the Llama family (Llama, \
            Mistral, Qwen2, SmolLM2) from safetensors in any float dtype.
            """)

    @Argument(help: "HF model folder: config.json, *.safetensors, tokenizer.json.")
    var modelDir: String

    @Option(help: "Text to encode with the model's tokenizer.")
    var text: String?

    @Option(help: "Comma-separated token ids, e.g. 1,2,3.")
    var ids: String?

    @Option(help: "How many candidates per position.")
    var top: Int = 5

    @Option(help: "OpenBLAS threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard (text == nil) != (ids == nil) else { throw ValidationError("give exactly one of --text or --ids") }
        guard top > 0 else { throw ValidationError("--top must be positive") }
    }

    func run() throws {
        if let threads { BLASThreads.set(threads) }
        let tokenizer = try? Tokenizer(path: modelDir)
        let input: [Int]
        if let text {
            guard let tokenizer else { throw ValidationError("\(modelDir) has no usable tokenizer.json; pass --ids") }
            input = tokenizer.encode(text)
        } else {
            input = try ids!.split(separator: ",").map {
                guard let v = Int($0.trimmingCharacters(in: " ")) else { throw ValidationError("--ids: '\($0)' is not an integer") }
                return v
            }
        }
        guard !input.isEmpty else { throw ValidationError("no tokens to run") }
        let model = try LlamaModel(directory: modelDir)
        if let bad = input.first(where: { $0 < 0 || $0 >= model.config.vocabSize }) {
            throw ValidationError("token id \(bad) is outside the vocabulary (0..<\(model.config.vocabSize))")
        }
        let logits = model.forward([input])[0].logits
        let v = logits.cols, k = min(top, v)
        var positions: [JSON] = []
        for p in 0..<input.count {
            let row = logits.data[(p * v)..<((p + 1) * v)]
            let best = topK(row, k)
            let lse = logSumExp(row)
            let tok = tokenizer?.token(input[p]) ?? ""
            if json {
                positions.append(.object([
                    "position": .int(p), "input_id": .int(input[p]), "input_token": .string(tok),
                    "top_ids": .array(best.map { .int($0) }),
                    "top_tokens": .array(best.map { .string(tokenizer?.token($0) ?? "") }),
                    "top_logits": .array(best.map { .double(Double(row[row.startIndex + $0])) }),
                    "logsumexp": .double(lse)]))
            } else {
                let cands = best.map { "\($0) \(JSON.quoted(tokenizer?.token($0) ?? "")) \(row[row.startIndex + $0])" }
                print("\(p)\t\(input[p]) \(JSON.quoted(tok))\tlogsumexp \(lse)\t" + cands.joined(separator: " | "))
            }
        }
        if json {
            print(JSON.object(["model": .string(modelDir), "input_ids": .array(input.map { .int($0) }),
                               "vocab_size": .int(v), "positions": .array(positions)]).text)
        }
    }

    /// Indices of the `k` largest values, descending (ties by lower index).
    func topK(_ row: ArraySlice<Float>, _ k: Int) -> [Int] {
        var best: [(Float, Int)] = []
        for (i, x) in row.enumerated() {
            if best.count < k || x > best.last!.0 {
                let at = best.firstIndex { x > $0.0 } ?? best.count
                best.insert((x, i), at: at)
                if best.count > k { best.removeLast() }
            }
        }
        return best.map(\.1)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
