/// AgentBoard's VanillaAgent prompt (`memory_size` 100, `need_goal` true): the instruction, the
/// in-context examples, the goal, the help commands, then the interaction so far as
/// `Observation: …` / `Action: …` lines, ending in `Action: `. The oldest history entries are
/// dropped while the prompt does not fit the context.
public struct AgentPrompt: Sendable, Equatable {
    public var systemMessage: String
    public var instruction: String
    public var examples: [String]
    /// Example sets by episode kind, for prompt files whose `examples` is an object (alfworld's
    /// `put`, `clean`, `heat`… sets); an episode with a `promptKind` uses its set (`forEpisode`).
    public var examplesByKind: [String: [String]]
    public var needGoal: Bool
    /// The help command named in the prompt (`check valid actions`), nil for none.
    public var checkActions: String?
    /// Whether the prompt names `inventory` as a help command.
    public var checkInventory: Bool
    public var memorySize: Int

    public init(systemMessage: String, instruction: String, examples: [String], examplesByKind: [String: [String]] = [:],
                needGoal: Bool = true, checkActions: String?, checkInventory: Bool, memorySize: Int = 100) {
        self.systemMessage = systemMessage; self.instruction = instruction; self.examples = examples
        self.examplesByKind = examplesByKind; self.needGoal = needGoal; self.checkActions = checkActions
        self.checkInventory = checkInventory; self.memorySize = memorySize
    }

    /// The prompt for an episode of `kind`: its example set joined into one example, as AgentBoard's
    /// alfworld task passes it; unchanged when the kind is nil or has no set.
    public func forEpisode(kind: String?) -> AgentPrompt {
        guard let kind, let set = examplesByKind[kind] else { return self }
        var p = self
        p.examples = [set.joined()]
        return p
    }

    /// One entry of the interaction: `("Observation", text)` or `("Action", text)`.
    public typealias Entry = (label: String, text: String)

    /// The fixed head of the user message.
    public func header(goal: String) -> String {
        var q = instruction
        if !examples.isEmpty { q += "\nHere are examples:\n" + examples.map { $0 + "\n" }.joined() }
        if needGoal { q += "You should perform actions to accomplish the goal: " + goal + "\n" }
        let help = "You should use the following commands for help when your action cannot be understood: "
        if let c = checkActions { q += help + c + "\n" }
        if checkInventory { q += help + "inventory\n" }
        return q
    }

    /// The user message with the last `memorySize` entries of `history`, minus the first `drop`.
    public func user(goal: String, history: [Entry], drop: Int = 0) -> String {
        let kept = history.suffix(memorySize).dropFirst(drop)
        return header(goal: goal) + kept.map { $0.label + ": " + $0.text }.joined(separator: "\n") + "\nAction: "
    }

    /// The chat messages, trimmed from the oldest history entry while `fits` says they do not fit.
    public func messages(goal: String, history: [Entry], fits: ([ChatMessage]) async throws -> Bool) async throws -> [ChatMessage] {
        var drop = 0
        while true {
            let m = [ChatMessage(role: "system", content: systemMessage),
                     ChatMessage(role: "user", content: user(goal: goal, history: history, drop: drop))]
            if drop >= min(history.count, memorySize) { return m }
            if try await fits(m) { return m }
            drop += 1
        }
    }

    /// VanillaAgent's parser for open models (`use_parser`): takes the text after an `Action:`-like
    /// label (or after "next action…:" / "…is to"), else the first line; strips quotes and slashes.
    public static func parseAction(_ raw: String) -> String {
        var action = raw
        if raw.lowercased().contains("action") {
            let lines = raw.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                if line.contains("next action") && line.contains(":"),
                   let next = lines[(i + 1)...].first(where: { !$0.isEmpty }) {
                    action = next
                }
                let parts = line.components(separatedBy: ":")
                if parts[0].lowercased().hasSuffix("with action input") { action = line; break }
                if line.lowercased().contains("action") && line.contains(":") {
                    let rest = parts.dropFirst().joined(separator: ":")
                    if !rest.isEmpty { action = rest; break }
                }
                if line.lowercased().contains("action") && line.contains("is to") {
                    let rest = line.components(separatedBy: "is to")[1]
                    if !rest.isEmpty { action = rest; break }
                }
            }
        }
        if PythonText.strip(action).isEmpty { action = raw.components(separatedBy: "\n")[0] }
        action = PythonText.strip(PythonText.strip(action), chars: "'/")
        return action.components(separatedBy: "\n")[0]
    }
}
