import Protocol

/// A request to an environment sidecar (one JSON line; docs/AGENTBOARD.md).
struct SidecarRequest: Encodable, Sendable {
    var op: String
    var episode: [String: ParamValue]?
    var action: String?

    static func reset(_ params: [String: ParamValue]) -> SidecarRequest { .init(op: "reset", episode: params) }
    static func step(_ action: String) -> SidecarRequest { .init(op: "step", action: action) }
    static let close = SidecarRequest(op: "close")
}

/// A sidecar's answer (one JSON line). Fields a call does not produce are absent.
struct SidecarReply: Decodable, Sendable {
    var ok: Bool
    var error: String?
    /// With `ok: false`: `data_missing` when the environment cannot run here (a service without its
    /// credential, a toolkit acbench lacks); absent for an exception.
    var failure: String?
    var ready: String?
    var observation: String?
    var goal: String?
    /// The environment's native reward/score in [0, 1].
    var reward: Double?
    var done: Bool?
    /// Whether the action was understood (grounding accuracy counts these).
    var valid: Bool?
    /// The text subgoal patterns are matched against; nil when the step did not act on the world.
    var match_text: String?
    /// PDDL: the goal's literals as text (from `reset`).
    var goal_literals: [String]?
    /// PDDL: the state's literals as text.
    var literals: [String]?
    /// tool tasks: the `Subgoal` entries of the action path.
    var subgoal_path: [String]?
    /// The action as the environment records it in the agent's history (tool tasks: normalised,
    /// or empty after a format error); absent: the parsed action.
    var action: String?
}

/// How a sidecar failed. The executor classifies: a crash is `scorer_error`, a hang `timeout`.
enum SidecarError: Error, CustomStringConvertible {
    /// The process exited or closed its output; with the tail of its stderr log.
    case crashed(String)
    /// A call took longer than its limit; the process was killed.
    case timedOut(op: String, seconds: Double)
    /// The environment answered `ok: false` (a bad episode, an exception in the simulator).
    case environment(String)
    /// A line that is not a reply.
    case malformed(String)
    /// The environment cannot run the episode on this machine (`failure: data_missing`).
    case unavailable(String)

    var description: String {
        switch self {
        case .crashed(let s): return "environment sidecar crashed: \(s)"
        case .timedOut(let op, let s): return "environment sidecar hung: no answer to '\(op)' within \(Int(s)) s (killed)"
        case .environment(let s): return "environment error: \(s)"
        case .malformed(let s): return "environment sidecar sent a malformed reply: \(s)"
        case .unavailable(let s): return "environment unavailable: \(s)"
        }
    }
}
