#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Any JSON value, for comparing documents whose shape is not fixed (identity explanations).
public indirect enum JSONTree: Decodable, Equatable, Sendable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONTree]), object([String: JSONTree])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONTree].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONTree].self)) }
    }

    /// Parses JSON text; nil when it is not valid JSON.
    public static func parse(_ text: String) -> JSONTree? { try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8)) }

    /// Dotted paths whose values differ between `self` and `other`, with both values.
    public func differences(from other: JSONTree, path: String = "") -> [(path: String, old: String, new: String)] {
        if case .object(let a) = other, case .object(let b) = self {
            return Set(a.keys).union(b.keys).sorted().flatMap { k -> [(path: String, old: String, new: String)] in
                let p = path.isEmpty ? k : path + "." + k
                return (b[k] ?? .null).differences(from: a[k] ?? .null, path: p)
            }
        }
        return self == other ? [] : [(path, other.description, description)]
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }
}
