import Protocol

/// The Needle-in-a-Haystack task parameters, with ACBench's defaults
/// (`run_needle_in_haystack.py` as run by `eval_40k.sh`).
public struct NeedleConfig: Sendable, Equatable {
    /// ACBench's needle (leading and trailing newline included).
    public static let defaultNeedle =
        "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
    public static let defaultQuestion = "The best thing to do in San Francisco is: "
    /// The answer `visualize.py` recomputes the heat-map score against.
    public static let defaultAnswer = "eat a sandwich and sit in Dolores Park on a sunny day."
    /// `arange(1000, 40001 + 1, 1000)`.
    public static let defaultContextLengths = Array(stride(from: 1000, through: 40000, by: 1000))
    /// `np.round(np.linspace(0, 100, 10))` → 0, 11, 22, 33, 44, 56, 67, 78, 89, 100.
    public static let defaultDepths: [Double] = (0..<10).map { i in
        (i == 9 ? 100.0 : Double(i) * (100.0 / 9.0)).rounded(.toNearestOrEven)
    }
    /// Tokens kept free for the prompt frame and the answer (`final_context_length_buffer`).
    public static let defaultBuffer = 200
    /// The reference's period tokens per `model_provider`; others use `encode(".")`.
    public static let providerPeriodTokens: [String: [Int]] = [
        "LLaMA": [29889, 869], "LongLLaMA": [29889, 869], "LLaMA3": [13], "Mistral": [842, 28723],
        "GLM": [918, 30930], "Qwen": [13], "InternLM": [13],
    ]
    /// Every key `params` may hold.
    public static let knownParams: Set<String> = [
        "context_lengths", "depths", "needle", "question", "answer", "seed", "buffer",
        "model_provider", "period_tokens",
    ]

    public var contextLengths: [Int]
    public var depths: [Double]
    public var needle: String
    public var question: String
    /// Expected answer of the set-recall score.
    public var answer: String
    /// Seed of the generated haystack (ignored when the task points `data` at real text).
    public var seed: UInt64
    public var buffer: Int
    /// Tokens that end a sentence: `period_tokens`, else the provider's, else `nil` (= `encode(".")`).
    public var periodTokens: [Int]?

    /// Reads `params`; an unknown key or a malformed value is `SuiteError.badData` naming it.
    public init(params: [String: ParamValue]) throws {
        for key in params.keys where !Self.knownParams.contains(key) {
            throw Self.bad(key, "unknown parameter (known: \(Self.knownParams.sorted().joined(separator: ", ")))")
        }
        contextLengths = try Self.list(params, "context_lengths", Self.defaultContextLengths) { Int($0) }
        for l in contextLengths where l <= 0 { throw Self.bad("context_lengths", "\(l) is not a positive token count") }
        depths = try Self.list(params, "depths", Self.defaultDepths) { Double($0) }
        for d in depths where !(0...100).contains(d) { throw Self.bad("depths", "\(d) is not a percent in 0...100") }
        needle = try Self.text(params, "needle", Self.defaultNeedle)
        question = try Self.text(params, "question", Self.defaultQuestion)
        answer = try Self.text(params, "answer", Self.defaultAnswer)
        if answer.pySplit().isEmpty { throw Self.bad("answer", "has no words to score against") }
        seed = try UInt64(Self.integer(params, "seed", 0, minimum: 0))
        buffer = try Self.integer(params, "buffer", Self.defaultBuffer, minimum: 0)
        if params["period_tokens"] != nil {
            periodTokens = try Self.list(params, "period_tokens", []) { Int($0) }
        } else if let provider = params["model_provider"] {
            guard let name = provider.stringValue else { throw Self.bad("model_provider", "expected a string") }
            periodTokens = Self.providerPeriodTokens[name]
        } else {
            periodTokens = nil
        }
    }

    /// `needle-len{L}-depth{D}`, the stable id of one probe.
    public static func sampleId(length: Int, depth: Double) -> String {
        "needle-len\(length)-depth\(depthLabel(depth))"
    }

    /// A depth as ids and aggregate keys show it: `50` for 50.0, `12.5` otherwise.
    public static func depthLabel(_ depth: Double) -> String {
        depth == depth.rounded() && abs(depth) < 1e15 ? String(Int(depth)) : String(depth)
    }

    // MARK: parsing

    private static func bad(_ key: String, _ why: String) -> SuiteError {
        .badData("needle task parameter '\(key)': \(why)")
    }

    /// A comma-separated string (or a single number) parsed element-wise; must not be empty.
    private static func list<T>(_ params: [String: ParamValue], _ key: String, _ fallback: [T],
                                _ parse: (String) -> T?) throws -> [T] {
        guard let value = params[key] else { return fallback }
        let raw: String
        switch value {
        case .string(let s): raw = s
        case .int(let i): raw = String(i)
        case .double(let d): raw = String(d)
        case .bool: throw bad(key, "expected a comma-separated list, got a boolean")
        }
        let items = raw.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: " \t") }
        var out: [T] = []
        for item in items {
            guard let v = parse(item) else { throw bad(key, "'\(item)' in '\(raw)' is not a number") }
            out.append(v)
        }
        if out.isEmpty { throw bad(key, "is empty") }
        return out
    }

    private static func text(_ params: [String: ParamValue], _ key: String, _ fallback: String) throws -> String {
        guard let value = params[key] else { return fallback }
        guard let s = value.stringValue, !s.isEmpty else { throw bad(key, "expected a non-empty string") }
        return s
    }

    private static func integer(_ params: [String: ParamValue], _ key: String, _ fallback: Int,
                                minimum: Int) throws -> Int {
        guard let value = params[key] else { return fallback }
        guard let i = value.intValue, i >= minimum else { throw bad(key, "expected an integer ≥ \(minimum)") }
        return i
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
