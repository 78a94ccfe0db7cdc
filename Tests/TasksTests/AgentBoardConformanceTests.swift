import Foundation
import Protocol
import Testing
@testable import Tasks

/// Fixture root: `$ACBENCH_FIXTURES`, else `../shared/fixtures` beside the package root.
private func fixtureRoot() -> URL {
    if let env = ProcessInfo.processInfo.environment["ACBENCH_FIXTURES"], !env.isEmpty {
        return URL(fileURLWithPath: env)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/fixtures").standardizedFileURL
}

/// One case of `scoring/agentboard/cases.json` (each environment reads its own inputs).
private struct RewardCase: Decodable {
    enum Patterns: Decodable {
        case flat([String]), paths([[String]])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let f = try? c.decode([String].self) { self = .flat(f) } else { self = .paths(try c.decode([[String]].self)) }
        }
    }
    struct PathEntry: Decodable { var Subgoal: String }
    var env: String
    var subgoals: [String]?
    var observations: [String]?
    var done_flags: [Bool]?
    var done_after_each_step: [Bool]?
    var patterns: Patterns?
    var goal_literals: [String]?
    var state_literals_after_each_step: [[String]]?
    var ground_truth_subgoals: [String]?
    var action_path_after_each_step: [[PathEntry]]?
    var reward_after_each_step: [Double]
    var progress_rate: Double

    /// The rule and the recorded steps of this case.
    func replay() throws -> (ProgressRule, [EnvStep]) {
        switch env {
        case "alfworld":
            let obs = observations ?? [], done = done_flags ?? []
            return (.alfworld(subgoals: subgoals ?? []), obs.indices.map { EnvStep(observation: obs[$0], envDone: done[$0]) })
        case "scienceworld":
            return (.scienceworld(subgoals: subgoals ?? []), (observations ?? []).map { EnvStep(observation: $0) })
        case "jericho":
            guard case .flat(let p) = patterns else { throw CaseError("jericho patterns") }
            return (.jericho(patterns: p), (observations ?? []).map { EnvStep(observation: $0) })
        case "babyai":
            let steps = (observations ?? []).map { EnvStep(observation: $0) }
            switch patterns {
            case .flat(let p): return (.babyai(patterns: p), steps)
            case .paths(let p): return (.babyaiPaths(p), steps)
            case nil: throw CaseError("babyai patterns")
            }
        case "pddl":
            return (.pddl(goal: goal_literals ?? []),
                    (state_literals_after_each_step ?? []).map { EnvStep(observation: "", literals: $0) })
        case "tool-query/academia":
            return (.tool(subgoals: ground_truth_subgoals ?? []),
                    (action_path_after_each_step ?? []).map { EnvStep(observation: "", subgoalPath: $0.map(\.Subgoal)) })
        default: throw CaseError("unknown env \(env)")
        }
    }
}

private struct CaseError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("AgentBoardConformance")
struct AgentBoardConformanceTests {
    private static func cases() throws -> [RewardCase] {
        struct File: Decodable { var cases: [RewardCase] }
        let url = fixtureRoot().appendingPathComponent("scoring/agentboard/cases.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    /// Every case: the reward after each step and the final progress rate, exactly.
    @Test func rewardRulesMatchTheReference() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 9)
        for (n, c) in cases.enumerated() {
            let name = "case \(n) (\(c.env))"
            let (rule, steps) = try c.replay()
            var tracker = ProgressTracker(rule)
            let rewards = steps.map { tracker.step($0) }
            #expect(rewards == c.reward_after_each_step, "\(name): rewards \(rewards), expected \(c.reward_after_each_step)")
            #expect(tracker.reward == c.progress_rate, "\(name): progress \(tracker.reward), expected \(c.progress_rate)")
            if let done = c.done_after_each_step {
                var t = ProgressTracker(rule)
                let flags = steps.map { t.step($0); return t.done }
                #expect(flags == done, "\(name): done flags \(flags), expected \(done)")
            }
        }
    }

    /// Python's `.` matches `\r`; ICU's does not unless translated.
    @Test func regexDotMatchesCarriageReturn() {
        #expect(PythonRegex.search("a.b", in: "a\rb"))
        #expect(!PythonRegex.search("a.b", in: "a\nb"))
        #expect(PythonRegex.search("[.]x", in: ".x"))
    }
}
