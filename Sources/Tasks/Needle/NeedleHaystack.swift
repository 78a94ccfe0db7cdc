#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The haystack text and its tokens, assembled as `read_context_files` does: whole rounds of
/// the source documents appended until the text has at least the largest context length in tokens.
struct NeedleHaystack: Sendable {
    var text: String
    var tokens: [Int]

    /// The documents of one round: the `.txt` files of `folder` in sorted name order (the
    /// reference uses `glob` order, which is file-system order), or one generated document.
    static func documents(folder: String?, generator: HaystackGenerator, maxLength: Int) throws -> [String] {
        guard let folder else { return [generator.text(minimumWords: maxLength)] }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw SuiteError.dataMissing("needle haystack folder '\(folder)' does not exist or is not a readable folder")
        }
        let names = entries
            .filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var documents: [String] = []
        for name in names {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SuiteError.dataMissing("needle haystack file '\(path)' cannot be read")
            }
            guard let text = String(validating: Array(data), as: UTF8.self) else {
                throw SuiteError.badData("needle haystack file '\(path)' is not valid UTF-8")
            }
            documents.append(universalNewlines(text))
        }
        guard documents.contains(where: { !$0.isEmpty }) else {
            throw SuiteError.badData("needle haystack folder '\(folder)' has no non-empty .txt file")
        }
        return documents
    }

    /// Appends rounds of `documents` until `encode(text)` has at least `maxLength` tokens.
    static func assemble(_ documents: [String], maxLength: Int, tokenizer: any TextTokenizer) async throws -> NeedleHaystack {
        var text = "", tokens: [Int] = []
        let round = documents.joined()
        precondition(!round.isEmpty, "documents() never returns an empty round")
        while tokens.count < maxLength {
            text += round
            tokens = try await tokenizer.encode(text)
        }
        return NeedleHaystack(text: text, tokens: tokens)
    }

    /// Python's text-mode reading: `\r\n` and lone `\r` become `\n`.
    static func universalNewlines(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in s.unicodeScalars {
            if scalar == "\r" { out.append("\n"); previousCR = true; continue }
            if scalar == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(scalar)
        }
        return String(out)
    }
}
