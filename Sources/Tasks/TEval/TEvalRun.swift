/// The eight T-Eval evaluations ACBench runs (`test_all_en.sh`, spec §2.1).
public enum TEvalRun: String, Sendable, CaseIterable {
    case instructJson = "instruct_json", reviewStr = "review_str", planJson = "plan_json", planStr = "plan_str"
    case reasonStr = "reason_str", retrieveStr = "retrieve_str", understandStr = "understand_str", rruJson = "rru_json"

    /// The released data file the run reads.
    public var fileName: String {
        switch self {
        case .instructJson: "instruct_v2.json"
        case .reviewStr: "review_str_v2.json"
        case .planJson: "plan_json_v2.json"
        case .planStr: "plan_str_v2.json"
        case .reasonStr: "reason_str_v2.json"
        case .retrieveStr: "retrieve_str_v2.json"
        case .understandStr: "understand_str_v2.json"
        case .rruJson: "reason_retrieve_understand_json_v2.json"
        }
    }

    /// `--prompt_type` (the evaluator's `default_prompt_type`).
    public var promptType: String {
        switch self {
        case .instructJson, .planJson, .rruJson: "json"
        default: "str"
        }
    }

    /// `--eval` of the reason/retrieve/understand evaluator.
    var evalType: String {
        switch self {
        case .reasonStr: "reason"
        case .retrieveStr: "retrieve"
        case .understandStr: "understand"
        default: "rru"
        }
    }

    /// The dataset-level metrics the run reports.
    public var metricKeys: [String] {
        switch self {
        case .instructJson: ["json_format_metric", "json_args_em_metric", "string_format_metric", "string_args_em_metric"]
        case .reviewStr: ["parse_rate", "review_quality"]
        case .planJson, .planStr: ["precision", "recall", "f1_score", "parse_rate"]
        case .reasonStr: ["thought", "parse_rate"]
        case .retrieveStr: ["name", "parse_rate"]
        case .understandStr: ["args", "parse_rate"]
        case .rruJson: ["thought", "name", "args", "parse_rate"]
        }
    }
}

/// A per-sample value with the Python/NumPy type the reference produced (it decides how `np.mean` sums).
public enum TNum: Sendable, Equatable {
    case int(Int), float(Double), float32(Float)
    public var double: Double {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        case .float32(let f): Double(f)
        }
    }
}

/// One sample of a T-Eval data file with the prediction filled in.
public struct TEvalSample: Sendable {
    public var id: String
    public var value: JSONValue
    public var prediction: String

    public init(id: String, value: JSONValue, prediction: String) { self.id = id; self.value = value; self.prediction = prediction }

    /// `meta_data.response_format`, else the run's prompt type.
    func responseFormat(default d: String) -> String { value["meta_data"]?["response_format"]?.stringValue ?? d }
}

/// Raw cosine similarities of sentence lists (rows × columns), from the encoder or recorded values.
public protocol TEvalCosines {
    func cosines(_ a: [String], _ b: [String]) throws -> [[Float]]
}

/// Cosines from a sentence embedder (`cos_sim` in float32).
public struct EmbedderCosines: TEvalCosines {
    let embedder: any SentenceEmbedder
    public init(_ e: any SentenceEmbedder) { embedder = e }
    public func cosines(_ a: [String], _ b: [String]) throws -> [[Float]] {
        let all = try embedder.embed(a + b)
        return CosineSimilarity.matrix(Array(all[..<a.count]), Array(all[a.count...]))
    }
}
