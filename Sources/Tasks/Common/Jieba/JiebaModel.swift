import FoundationEssentials

/// jieba 0.42.1's default dictionary (`dict.txt`: prefix dictionary and total frequency) and its
/// HMM (`finalseg/prob_*.py`), read from the package folder of jieba's release.
public struct JiebaModel: Sendable {
    typealias Text = [Unicode.Scalar]
    /// `FREQ`: every word's frequency plus every word prefix absent from the file with 0.
    let freq: [Text: Int]
    /// `total`: the sum of the file's frequencies.
    let total: Int
    /// Start, transition and emission log-probabilities, indexed by `HMMState.rawValue`.
    let start: [Double], trans: [[Double?]], emit: [[Unicode.Scalar: Double]]

    /// Loads `folder/dict.txt` and `folder/finalseg/prob_{start,trans,emit}.py`.
    public init(folder: String) throws {
        let dictPath = folder + "/dict.txt"
        guard let dictData = FileManager.default.contents(atPath: dictPath) else {
            throw SuiteError.dataMissing("jieba dictionary \(dictPath) not found: run acbench data fetch longbench")
        }
        var freq: [Text: Int] = [:], total = 0
        freq.reserveCapacity(600_000)
        for (lineNo, raw) in String(decoding: dictData, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).pyStripped()
            if line.isEmpty { continue }
            let parts = line.pySplit(separator: " ")
            guard parts.count >= 2, let f = Int(parts[1]) else {
                throw SuiteError.badData("\(dictPath):\(lineNo + 1): expected 'word frequency [tag]', got \(line.debugDescription)")
            }
            let word = Array(parts[0].unicodeScalars)
            freq[word] = f
            total += f
            for end in 1..<max(1, word.count) where freq[Array(word[..<end])] == nil { freq[Array(word[..<end])] = 0 }
        }
        self.freq = freq; self.total = total
        let dir = folder + "/finalseg/"
        start = try Self.parseFlat(dir + "prob_start.py")
        trans = try Self.parseTrans(dir + "prob_trans.py")
        emit = try Self.parseEmit(dir + "prob_emit.py")
    }

    private static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteError.dataMissing("jieba model file \(path) not found: run acbench data fetch longbench")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func state(_ s: Substring) -> Int? { HMMState(rawValue: String(s))?.index }

    /// `P={'B': -0.26, 'E': -3.14e+100, ...}`.
    private static func parseFlat(_ path: String) throws -> [Double] {
        var out = [Double](repeating: .nan, count: 4)
        for m in try read(path).matches(of: /'([BEMS])': (-?[0-9.e+\-]+)/) {
            guard let i = state(m.1), let v = Double(m.2) else { continue }
            out[i] = v
        }
        guard !out.contains(where: \.isNaN) else { throw SuiteError.badData("\(path): expected the four HMM start probabilities") }
        return out
    }

    /// `P={'B': {'E': -0.51, 'M': -0.91}, ...}`; missing transitions are nil.
    private static func parseTrans(_ path: String) throws -> [[Double?]] {
        var out = [[Double?]](repeating: [nil, nil, nil, nil], count: 4)
        for m in try read(path).matches(of: /'([BEMS])': \{([^}]*)\}/) {
            guard let from = state(m.1) else { continue }
            for inner in m.2.matches(of: /'([BEMS])': (-?[0-9.e+\-]+)/) {
                if let to = state(inner.1), let v = Double(inner.2) { out[from][to] = v }
            }
        }
        return out
    }

    /// `P={'B': {'\u4e00': -3.65, ...}, 'E': {...}, ...}`, one entry per line.
    private static func parseEmit(_ path: String) throws -> [[Unicode.Scalar: Double]] {
        var out = [[Unicode.Scalar: Double]](repeating: [:], count: 4), current: Int?
        for line in try read(path).split(separator: "\n") {
            if let header = line.firstMatch(of: /'([BEMS])': \{/) { current = state(header.1) }
            guard let s = current, let m = line.firstMatch(of: /'\\u([0-9a-fA-F]{4})': (-?[0-9.e+\-]+)/),
                  let code = UInt32(m.1, radix: 16), let scalar = Unicode.Scalar(code), let v = Double(m.2) else { continue }
            out[s][scalar] = v
        }
        guard out.allSatisfy({ !$0.isEmpty }) else { throw SuiteError.badData("\(path): expected emission tables for B, E, M and S") }
        return out
    }
}

/// The HMM's BMES tags; `index` is the position in jieba's `'BMES'` order.
enum HMMState: String, CaseIterable {
    case B, M, E, S
    var index: Int { switch self { case .B: 0; case .E: 1; case .M: 2; case .S: 3 } }
}
