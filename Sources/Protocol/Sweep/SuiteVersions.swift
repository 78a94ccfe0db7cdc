/// Version of each suite's prompt templates and scorer. Bumping one makes that suite's eval units
/// stale (their identity changes), so results of an older scorer are never reused silently.
public enum SuiteVersions {
    public static let prompt: [String: Int] = [
        "worfbench": 1, "teval": 1, "longbench": 1, "longgenbench": 1, "needle": 1, "agentboard": 1, "synthetic": 1,
    ]
    public static let scorer: [String: Int] = [
        "worfbench": 1, "teval": 1, "longbench": 1, "longgenbench": 1, "needle": 1, "agentboard": 1, "synthetic": 1,
    ]
}
