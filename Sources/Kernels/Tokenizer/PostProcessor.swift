/// The `post_processor` of tokenizer.json: adds special tokens around an encoded sequence.
enum PostProcessor: Sendable {
    /// Ids before and after the sequence.
    case wrap(prefix: [Int], suffix: [Int])
    case none

    init(json: JSON?) throws {
        guard let json, let type = json["type"]?.string else { self = .none; return }
        switch type {
        case "TemplateProcessing":
            let specials = json["special_tokens"]?.object ?? [:]
            var prefix: [Int] = [], suffix: [Int] = [], seenSequence = false
            for item in json["single"]?.array ?? [] {
                if item["Sequence"] != nil { seenSequence = true; continue }
                guard let name = item["SpecialToken"]?["id"]?.string else { continue }
                guard let ids = specials[name]?["ids"]?.array?.compactMap(\.int) else {
                    throw TokenizerError.invalid("template token \(name) missing from special_tokens")
                }
                if seenSequence { suffix += ids } else { prefix += ids }
            }
            self = .wrap(prefix: prefix, suffix: suffix)
        case "RobertaProcessing", "BertProcessing":
            guard let cls = json["cls"]?.array?[1].int, let sep = json["sep"]?.array?[1].int else {
                throw TokenizerError.invalid("\(type) without cls/sep")
            }
            self = .wrap(prefix: [cls], suffix: [sep])
        case "ByteLevel":
            self = .none
        case "Sequence":
            var result = PostProcessor.none
            for p in json["processors"]?.array ?? [] {
                let q = try PostProcessor(json: p)
                if case .wrap = q { result = q }
            }
            self = result
        default: throw TokenizerError.unsupported("post-processor \(type)")
        }
    }

    func apply(_ ids: [Int]) -> [Int] {
        switch self {
        case let .wrap(prefix, suffix): return prefix + ids + suffix
        case .none: return ids
        }
    }

    /// How many ids `apply` adds.
    var addedCount: Int {
        switch self {
        case let .wrap(p, s): return p.count + s.count
        case .none: return 0
        }
    }
}
