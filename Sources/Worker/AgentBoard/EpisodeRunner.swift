import Protocol
import Tasks

/// Plays one AgentBoard episode: reset the environment, then per turn the model's action (chat
/// completion, parsed as VanillaAgent parses it), the environment's observation back, the
/// progress rule applied, until the episode is done or the step limit is reached.
struct EpisodeRunner: Sendable {
    let prompt: AgentPrompt
    let client: OpenAIClient
    let parameters: GenerationParameters
    /// Prompt tokens + `max_tokens` must stay within this (the served context length).
    let contextLength: Int
    let callTimeout: Double

    func play(_ episode: Episode, on sidecar: Sidecar) async throws -> SampleResult {
        let started = monotonicClock()
        let first = try await sidecar.call(.reset(episode.reset), timeout: callTimeout)
        let goal = episode.goal ?? first.goal ?? ""
        var history: [AgentPrompt.Entry] = [("Observation", first.observation ?? "")]
        var transcript = Transcript(goal: goal, observation: first.observation ?? "")
        let prompt = self.prompt.forEpisode(kind: episode.promptKind)
        var tracker = ProgressTracker(Self.rule(episode.rule, reset: first))
        var valid = 0, steps = 0
        while steps < episode.maxSteps && !tracker.done {
            let messages = try await prompt.messages(goal: goal, history: history, fits: fits)
            let completion: Completion
            do { completion = try await client.chat(messages, parameters) } catch { throw EpisodeModelError(error: error) }
            let action = AgentPrompt.parseAction(completion.text)
            let reply = try await sidecar.call(.step(action), timeout: callTimeout)
            steps += 1
            if reply.valid ?? true { valid += 1 }
            Self.score(reply, on: &tracker)
            let observation = reply.observation ?? ""
            history += [("Action", reply.action ?? action), ("Observation", observation)]
            transcript.add(step: steps - 1, raw: completion.text, action: action, observation: observation, progress: tracker.reward)
        }
        var meta = ["environment": episode.environment, "goal": goal, "steps": String(steps)]
        if let d = episode.difficulty { meta["difficulty"] = d }
        return SampleResult(sampleId: episode.sampleId, index: episode.index,
                            scores: ["progress_rate": tracker.reward, "success": tracker.success ? 1 : 0,
                                     "grounding_acc": steps == 0 ? 0 : Double(valid) / Double(steps), "steps": Double(steps)],
                            output: transcript.text, meta: meta, latencyMs: (monotonicClock() - started) * 1000)
    }

    /// Applies one step's reply to the progress rule; a step that did not act on the world (no
    /// `match_text`, `literals` or `subgoal_path`) leaves it unchanged.
    static func score(_ reply: SidecarReply, on tracker: inout ProgressTracker) {
        guard let text = reply.match_text ?? (reply.literals != nil || reply.subgoal_path != nil ? "" : nil) else { return }
        tracker.step(EnvStep(observation: text, envDone: reply.done ?? false, envReward: reply.reward ?? 0,
                             literals: reply.literals, subgoalPath: reply.subgoal_path))
    }

    /// The episode's rule, with PDDL goal literals from the environment when the episode has none.
    static func rule(_ rule: ProgressRule, reset: SidecarReply) -> ProgressRule {
        if case .pddl(let goal) = rule, goal.isEmpty, let literals = reset.goal_literals { return .pddl(goal: literals) }
        return rule
    }

    /// Whether the messages leave room for `max_tokens` in the context (counted by the server's
    /// tokenizer; a server without `/tokenize` is estimated at 3 characters a token).
    func fits(_ messages: [ChatMessage]) async throws -> Bool {
        let text = messages.map(\.content).joined(separator: "\n")
        let tokens: Int
        do { tokens = try await client.tokenize(text).count + 8 * messages.count } catch { tokens = text.count / 3 }
        return tokens <= contextLength - parameters.maxTokens
    }
}

/// The model could not be asked (the executor classifies the underlying `OpenAIError`).
struct EpisodeModelError: Error { let error: OpenAIError }

/// The episode as AgentBoard logs its trajectory: goal, observations, actions and progress per step.
struct Transcript {
    private(set) var text: String

    init(goal: String, observation: String) { text = "Goal: \(goal)\nObservation: \(observation)\n" }

    mutating func add(step: Int, raw: String, action: String, observation: String, progress: Double) {
        text += "Step \(step) Action: \(action)\n"
        if raw.trimmingCharacters(in: .whitespacesAndNewlines) != action { text += "Step \(step) Model output: \(raw)\n" }
        text += "Step \(step) Observation: \(observation)\nStep \(step) Progress Rate: \(progress)\n"
    }
}
