import Protocol

/// The suites acbench can run, by the `suite` name used in sweep files.
public enum SuiteRegistry {
    /// The single-turn suite named `name`, or nil when acbench has none by that name (yet).
    public static func singleTurn(_ name: String) -> (any SingleTurnSuite)? {
        switch name {
        case "needle": return NeedleSuite()
        case "longbench": return LongBenchSuite()
        case "longgenbench": return LongGenBenchSuite()
        case "worfbench": return WorfBenchSuite()
        case "teval": return TEvalSuite()
        default: return nil
        }
    }

    /// The multi-turn (episode) suite named `name`, or nil.
    public static func multiTurn(_ name: String) -> (any MultiTurnSuite)? {
        switch name {
        case "agentboard": return AgentBoardSuite()
        default: return nil
        }
    }

    /// The suite's reference aggregation, whichever kind it is (nil for suites acbench does not score).
    public static func aggregate(suite: String, _ results: [SampleResult]) -> [String: Double]? {
        singleTurn(suite)?.aggregate(results) ?? multiTurn(suite)?.aggregate(results)
    }
}
