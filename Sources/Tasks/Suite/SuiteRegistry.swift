/// The single-turn suites acbench can run, by the `suite` name used in sweep files.
public enum SuiteRegistry {
    /// The suite named `name`, or nil when acbench has none by that name (yet).
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
}
