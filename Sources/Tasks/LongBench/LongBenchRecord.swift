import FoundationEssentials

/// One line of a LongBench v1 release file (`data/<dataset>.jsonl`).
public struct LongBenchRecord: Sendable, Equatable {
    public var input: String
    public var context: String
    public var answers: [String]
    public var length: Int
    public var allClasses: [String]?
    public var id: String

    public init(input: String, context: String, answers: [String], length: Int, allClasses: [String]?, id: String) {
        self.input = input; self.context = context; self.answers = answers; self.length = length
        self.allClasses = allClasses; self.id = id
    }

    /// Reads every record of a JSONL file; errors name the file, the line and the field.
    public static func load(file: String) throws -> [LongBenchRecord] {
        try JSONValue.parseLines(file: file).map { line, value in
            let r = RecordReader(file: file, location: "line \(line)", value: value)
            return LongBenchRecord(
                input: try r.string("input"), context: try r.string("context"), answers: try r.strings("answers"),
                length: try r.int("length"), allClasses: try r.optionalStrings("all_classes"), id: try r.string("_id"))
        }
    }

    /// The record as a release line (used by the generated variant).
    public var jsonLine: String {
        var fields: [(String, JSONValue)] = [
            ("input", .string(input)), ("context", .string(context)), ("answers", .array(answers.map { .string($0) })),
            ("length", .int(length)),
        ]
        fields.append(("all_classes", allClasses.map { .array($0.map { .string($0) }) } ?? .null))
        fields.append(("_id", .string(id)))
        return JSONValue.object(fields).serialized
    }

    /// `dataset2prompt[dataset].format(**record)`: one left-to-right pass over `{context}` and `{input}`.
    public func prompt(template: String) -> String {
        var out = "", rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[open...]
            if after.hasPrefix("{context}") { out += context; rest = after.dropFirst(9) } else if after.hasPrefix("{input}") {
                out += input; rest = after.dropFirst(7)
            } else { out += "{"; rest = after.dropFirst() }
        }
        return out + rest
    }
}
