import Protocol

/// First estimates of unit cost (longest first) and memory (what fits a GPU), before the store has
/// history. Costs are in seconds on one reference GPU for a 7B model; only their order matters.
public enum CostModel {
    /// Typical sample (or episode) count per suite when the task sets no limit.
    static let defaultSamples: [String: Int] = [
        "worfbench": 2146, "teval": 2000, "longbench": 4750, "longgenbench": 400,
        "needle": 100, "agentboard": 100, "synthetic": 20,
    ]
    /// Seconds per sample on a 7B model.
    static let secondsPerSample: [String: Double] = [
        "worfbench": 0.5, "teval": 0.5, "longbench": 3, "longgenbench": 20,
        "needle": 2, "agentboard": 60, "synthetic": 0.01,
    ]

    /// Samples one eval unit of `task` covers.
    public static func samples(task: TaskSpec) -> Int {
        if task.suite == "synthetic", let n = task.params["samples"]?.intValue { return n }
        if task.suite == "needle",
           let l = task.params["context_lengths"]?.stringValue, let d = task.params["depths"]?.stringValue {
            return l.split(separator: ",").count * d.split(separator: ",").count
        }
        let all = task.limit ?? defaultSamples[task.suite] ?? 100
        return (all + max(1, task.shards) - 1) / max(1, task.shards)
    }

    static func eval(model: ModelSpec, method: MethodSpec, task: TaskSpec) -> Double {
        let perSample = secondsPerSample[task.suite] ?? 1
        return Double(samples(task: task)) * perSample * max(0.2, model.paramsB / 7)
    }

    static func analysis(model: ModelSpec, analysis: AnalysisSpec) -> Double {
        Double(analysis.sequences * analysis.positions) * 0.05 * max(0.2, model.paramsB / 7)
    }

    static func compress(model: ModelSpec, method: MethodSpec) -> Double {
        let perB: [String: Double] = ["rtn": 5, "magnitude": 5, "wanda": 60, "sparsegpt": 240, "gptq": 240, "awq": 300]
        return (perB[method.algorithm] ?? 60) * model.paramsB
    }

    /// GPU memory to serve the model: weights at their stored precision plus a 20% KV/activation budget.
    static func servingMemoryGiB(model: ModelSpec, method: MethodSpec, generation: GenerationSettings) -> Double {
        let bits = method.params["bits"]?.intValue ?? 16
        let weights = model.paramsB * 1e9 * Double(bits) / 8 / Double(1 << 30)
        return (weights * 1.2 + 1) / Double(max(1, model.tensorParallel))
    }
}
