import FoundationEssentials

/// One item of a WorfBench gold file (`gold_traj/<subset>/graph_eval.json`).
public struct WorfBenchGold: Sendable, Equatable {
    public var id: String
    /// `conversations` as `(role, content)`: system, user, gold assistant.
    public var conversations: [ChatMessage]
    /// The gold workflow text (`conversations[-1].content`).
    public var workflow: String { conversations.last?.content ?? "" }

    /// Every item of a gold file; errors name the file, the item and the field.
    public static func load(file: String) throws -> [WorfBenchGold] {
        guard case .array(let items) = try JSONValue.parse(file: file) else {
            throw SuiteError.badData("\(file): expected a JSON array of gold items")
        }
        return try items.enumerated().map { n, item in
            let r = RecordReader(file: file, location: "item \(n)", value: item)
            guard let turns = try r.require("conversations").arrayValue, turns.count >= 3 else {
                throw r.error("conversations", "a list of 3 messages")
            }
            let messages = try turns.enumerated().map { k, t in
                let m = RecordReader(file: file, location: "item \(n) conversations[\(k)]", value: t)
                return ChatMessage(role: try m.string("role"), content: try m.string("content"))
            }
            let id = item["id"].map { $0.stringValue ?? $0.serialized } ?? String(n)
            return WorfBenchGold(id: id, conversations: messages)
        }
    }
}

/// `eval_workflow`'s aggregation: item scores summed in order, divided by the gold count
/// (unparseable predictions add nothing but still count).
public enum WorfBenchAggregate {
    public static func mean(_ items: [PRF?], count: Int) -> PRF {
        var p = 0.0, r = 0.0, f = 0.0
        for case let item? in items { p += item.precision; r += item.recall; f += item.f1 }
        let n = Double(count)
        return PRF(precision: p / n, recall: r / n, f1: f / n)
    }
}
