import Protocol

extension TaskSpec {
    /// The reference's generation length, unless the task sets `params.max_tokens` (a deviation
    /// meant for small demo models whose context cannot hold the reference length).
    func maxTokens(reference: Int) -> Int { params["max_tokens"]?.intValue ?? reference }

    /// Whether the task asks for the suite's procedurally generated data (`variant = "generated"`).
    var usesGeneratedData: Bool { params["variant"]?.stringValue == "generated" }
}
