/// The seven AgentBoard tasks ACBench runs (`task.subset`), with what differs between them.
public enum AgentBoardEnvironment: String, Sendable, CaseIterable {
    case alfworld, scienceworld, babyai, jericho, pddl
    case toolQuery = "tool-query"
    case toolOperation = "tool-operation"

    /// ACBench's `max_num_steps` (main_results_all_tasks.yaml, run section).
    public static let maxSteps = 30

    /// The sidecar program family (`scripts/agentboard/<family>_sidecar.py`).
    public var family: String { self == .toolQuery || self == .toolOperation ? "tool" : rawValue }

    /// The environment's `check_actions` help command in the ACBench config.
    public var checkActions: String? {
        switch self {
        case .toolQuery, .toolOperation: return "check_valid_actions"
        default: return "check valid actions"
        }
    }

    /// Whether the config names `inventory` as a help command.
    public var checkInventory: Bool { [.babyai, .jericho, .scienceworld, .alfworld].contains(self) }

    /// AgentBoard's prompt file for the environment (under `prompts/VanillaAgent/`).
    public var promptFile: String {
        switch self {
        case .alfworld: return "alfworld_base.json"
        case .scienceworld: return "scienceworld_base.json"
        case .babyai: return "babyai_vanilla_prompt.json"
        case .jericho: return "jericho_vanilla_prompt.json"
        case .pddl: return "pddl_vanilla_prompt.json"
        case .toolQuery, .toolOperation: return "academia_prompt.json"
        }
    }

    /// Whether acbench can make episodes without AgentBoard's data (the simulator generates them).
    public var generatesEpisodes: Bool { [.babyai, .scienceworld, .pddl].contains(self) }
}
