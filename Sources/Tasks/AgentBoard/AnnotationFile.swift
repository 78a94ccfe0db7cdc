import Foundation
import Protocol

/// Reads AgentBoard's annotation files (`test.jsonl`: one JSON object per line).
enum AnnotationFile {
    /// The non-blank lines, each with its 1-based line number in the file (for error messages).
    static func numbered(_ path: String) throws -> [(line: Int, fields: [String: JSONTree])] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SuiteError.dataMissing("cannot read \(path)")
        }
        var rows: [(line: Int, fields: [String: JSONTree])] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard case .object(let o)? = JSONTree.parse(String(line)) else {
                throw SuiteError.badData("\(path) line \(n + 1): not a JSON object")
            }
            rows.append((n + 1, o))
        }
        return rows
    }

    /// BabyAI's rule from one line: `subgoals` (one path), or `subgoals_1`, `subgoals_2`… (alternative
    /// paths, in the file's key order as AgentBoard reads them). Every line needs `difficulty`.
    static func babyaiRule(_ line: [String: JSONTree], file: String, line n: Int) throws -> ProgressRule {
        guard line["difficulty"] != nil else { throw SuiteError.badData("\(file) line \(n): no difficulty") }
        if line["subgoals_1"] == nil, let s = line["subgoals"]?.stringList { return .babyai(patterns: s) }
        let keys = line.keys.filter { $0.contains("subgoals") }.sorted { a, b in
            (Int(a.split(separator: "_").last ?? "") ?? 0) < (Int(b.split(separator: "_").last ?? "") ?? 0)
        }
        let paths = keys.compactMap { line[$0]?.stringList }
        guard !paths.isEmpty else { throw SuiteError.badData("\(file) line \(n): no subgoals") }
        return .babyaiPaths(paths)
    }
}

extension JSONTree {
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var stringList: [String]? {
        guard case .array(let a) = self else { return nil }
        let s = a.compactMap(\.stringValue)
        return s.count == a.count ? s : nil
    }
}
