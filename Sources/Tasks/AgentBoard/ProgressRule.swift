#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// What an environment reports after one step, as far as the progress rules need it.
public struct EnvStep: Sendable, Equatable {
    /// The text the subgoal patterns are matched against (the environment's processed observation).
    public var observation: String
    /// The environment's own end-of-episode flag.
    public var envDone: Bool
    /// The environment's native reward or score in [0, 1] (used when there are no annotations).
    public var envReward: Double
    /// PDDL: the state's literals as text (`on a b`).
    public var literals: [String]?
    /// tool-query: the `Subgoal` entries of the action path so far.
    public var subgoalPath: [String]?

    public init(observation: String, envDone: Bool = false, envReward: Double = 0, literals: [String]? = nil,
                subgoalPath: [String]? = nil) {
        self.observation = observation; self.envDone = envDone; self.envReward = envReward
        self.literals = literals; self.subgoalPath = subgoalPath
    }
}

/// AgentBoard's per-environment reward rule (spec §6), applied step by step. The example's
/// progress rate is the reward after its last step; `done` ends the episode as a success.
public enum ProgressRule: Sendable, Equatable {
    /// alfworld: `n+1` regex slots, never reset; reward 1 when the environment says done.
    case alfworld(subgoals: [String])
    /// scienceworld: `n` regex slots; done when all are matched.
    case scienceworld(subgoals: [String])
    /// jericho: ordered patterns compared without punctuation; the first match per step is consumed.
    case jericho(patterns: [String])
    /// babyai: `*`/`**`-split patterns, or alternative paths advanced one position per step.
    case babyai(patterns: [String])
    case babyaiPaths([[String]])
    /// pddl: the share of goal literals the state satisfies (never decreasing).
    case pddl(goal: [String])
    /// tool-query/tool-operation: ground-truth subgoals consumed from the action path's multiset
    /// (each subgoal as canonical JSON text); ends at the environment's done (`finish`), a success
    /// when the progress is 1 then.
    case tool(subgoals: [String])
    /// No annotations: the environment's native reward and done flag (babyai's own rule, and the
    /// documented fallback for self-generated ScienceWorld and PDDL episodes).
    case native(babyaiQuirks: Bool)
}

/// The running state of one episode's reward.
public struct ProgressTracker: Sendable {
    public let rule: ProgressRule
    public private(set) var reward = 0.0
    public private(set) var done = false
    /// Whether the episode counts as a success: it is done, except for jericho, where the game's
    /// own end (the player died) ends the episode without success (`won` = progress 1), and the
    /// tool tasks, where `finish` ends the episode and only progress 1 then is a success.
    public var success: Bool {
        if case .jericho = rule { return reward == 1 }
        if case .tool = rule { return done && reward == 1 }
        return done
    }
    private var slots: [Bool] = []
    private var remaining: [String] = []
    private var paths: [[String]] = []
    private var points = 0
    private var total = 0

    public init(_ rule: ProgressRule) {
        self.rule = rule
        switch rule {
        case .alfworld(let s): slots = Array(repeating: false, count: s.count + 1)
        case .scienceworld(let s): slots = Array(repeating: false, count: s.count)
        case .jericho(let p), .babyai(let p): remaining = p; total = p.count
        case .babyaiPaths(let p): paths = p; total = p.first?.count ?? 0
        case .pddl, .tool, .native: break
        }
    }

    /// Applies one step's outcome; returns the reward after it.
    @discardableResult
    public mutating func step(_ s: EnvStep) -> Double {
        switch rule {
        case .alfworld(let subgoals):
            mark(subgoals, in: s.observation)
            done = s.envDone
            reward = done ? 1.0 : Double(slots.filter { $0 }.count) / Double(slots.count)
        case .scienceworld(let subgoals):
            mark(subgoals, in: s.observation)
            let hit = slots.filter { $0 }.count
            reward = slots.isEmpty ? 0 : Double(hit) / Double(slots.count)
            done = hit >= subgoals.count
        case .jericho:
            consumeFirst(s.observation, matches: Self.jerichoMatch)
            done = reward == 1 || s.envDone
        case .babyai:
            consumeFirst(s.observation, matches: Self.babyaiMatch)
            applyBabyAIQuirks(envDone: s.envDone)
        case .babyaiPaths:
            advancePaths(s.observation)
            applyBabyAIQuirks(envDone: s.envDone)
        case .pddl(let goal):
            let state = Set(s.literals ?? [])
            let hit = goal.filter(state.contains).count
            reward = max(reward, goal.isEmpty ? 0 : Double(hit) / Double(goal.count))
            done = s.envDone || reward == 1
        case .tool(let subgoals):
            var path = s.subgoalPath ?? []
            var hit = 0
            for g in subgoals { if let i = path.firstIndex(of: g) { path.remove(at: i); hit += 1 } }
            reward = max(reward, subgoals.isEmpty ? 0 : Double(hit) / Double(subgoals.count))
            // AgentBoard's tool task: the episode ends at `finish` (the environment's done) only.
            done = s.envDone
        case .native(let quirks):
            reward = s.envReward
            if quirks { applyBabyAIQuirks(envDone: s.envDone) } else { done = s.envDone }
        }
        return reward
    }

    /// Sets every slot whose regex `re.search`-matches `text`.
    private mutating func mark(_ patterns: [String], in text: String) {
        for (i, p) in patterns.enumerated() where PythonRegex.search(p, in: text) { slots[i] = true }
    }

    /// Consumes the first remaining pattern that matches (jericho, babyai).
    private mutating func consumeFirst(_ text: String, matches: (String, String) -> Bool) {
        guard let i = remaining.firstIndex(where: { matches(text, $0) }) else { return }
        remaining.remove(at: i)
        points += 1
        reward = max(reward, Double(points) / Double(max(total, 1)))
    }

    /// babyai's list-of-paths variant: the first position (scanning positions, then paths) that
    /// matches awards a point and is removed from every path.
    private mutating func advancePaths(_ text: String) {
        let length = paths.first?.count ?? 0
        for i in 0..<length where paths.contains(where: { i < $0.count && Self.babyaiMatch(text, $0[i]) }) {
            points += 1
            reward = max(reward, Double(points) / Double(max(total, 1)))
            for p in paths.indices where i < paths[p].count { paths[p].remove(at: i) }
            return
        }
    }

    /// BabyAI's end rules: a done with reward ≤ 0.5 is not done; reward 1 is done.
    private mutating func applyBabyAIQuirks(envDone: Bool) {
        done = envDone && reward > 0.5
        if reward == 1 { done = true }
    }

    /// jericho: both sides stripped of everything outside `[a-zA-Z0-9\s]`, then a substring test.
    static func jerichoMatch(_ observation: String, _ pattern: String) -> Bool {
        let clean = { (s: String) in String(s.unicodeScalars.filter { PythonText.isASCIIAlnum($0) || PythonText.isSpace($0) }.map(Character.init)) }
        let p = clean(pattern)
        return p.isEmpty || clean(observation).contains(p)
    }

    /// babyai: the pattern split on `**` (else `*`) matches when all fragments (each `strip('.')`)
    /// occur in one `.`-separated piece of the observation.
    static func babyaiMatch(_ observation: String, _ pattern: String) -> Bool {
        let trimmed = PythonText.strip(pattern)
        let token = trimmed.contains("**") ? "**" : "*"
        let fragments = trimmed.components(separatedBy: token).map { PythonText.strip($0, chars: ".") }
        return observation.split(separator: ".", omittingEmptySubsequences: false).contains { piece in
            fragments.allSatisfy { $0.isEmpty || piece.contains($0) }
        }
    }
}
