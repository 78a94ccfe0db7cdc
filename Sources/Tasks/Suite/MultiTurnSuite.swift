import Protocol

/// One episode of a multi-turn suite: which environment to start, how to reset it, and how its
/// progress is scored.
public struct Episode: Sendable, Equatable {
    /// Stable id from the task's data (`babyai-level2-seed1234`).
    public var sampleId: String
    /// Position within the unit (0-based); resume skips indices already stored.
    public var index: Int
    /// The sidecar family that runs it (`babyai`, `scienceworld`...).
    public var environment: String
    /// What the sidecar's `reset` receives.
    public var reset: [String: ParamValue]
    /// The goal the agent is given (annotation files rephrase some); nil: the environment's own.
    public var goal: String?
    public var rule: ProgressRule
    /// `easy` / `hard` where the annotations say.
    public var difficulty: String?
    public var maxSteps: Int
    /// Which of the prompt's example sets the episode uses (alfworld: its task kind); nil: the prompt's examples.
    public var promptKind: String?

    public init(sampleId: String, index: Int, environment: String, reset: [String: ParamValue], goal: String? = nil,
                rule: ProgressRule, difficulty: String? = nil, maxSteps: Int, promptKind: String? = nil) {
        self.sampleId = sampleId; self.index = index; self.environment = environment; self.reset = reset
        self.goal = goal; self.rule = rule; self.difficulty = difficulty; self.maxSteps = maxSteps
        self.promptKind = promptKind
    }
}

/// A benchmark whose samples are episodes played against an environment (AgentBoard).
public protocol MultiTurnSuite: Sendable {
    /// Every episode of one shard of the task, in a stable order with stable ids.
    func episodes(task: TaskSpec, shard: Int, shardCount: Int, context: SuiteContext) throws -> [Episode]
    /// The agent's prompt builder for the task.
    func agent(task: TaskSpec, context: SuiteContext) throws -> AgentPrompt
    /// The task-level figures (reference aggregation) from its episodes' results.
    func aggregate(_ results: [SampleResult]) -> [String: Double]
}
