/// GPT-2's `bytes_to_unicode` table (kernels.md §2.2): printable bytes map to themselves, the other
/// 68 bytes (0–32, 127–160, 173) to U+0100, U+0101, … in increasing order.
enum ByteLevelTable {
    static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    static let scalarToByte: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for (b, s) in byteToScalar.enumerated() { m[s.value] = UInt8(b) }
        return m
    }()

    /// The byte-level alphabet form of `piece` (its UTF-8 bytes, each mapped to one character).
    static func encode(_ piece: Substring) -> String {
        var out = String.UnicodeScalarView()
        for b in piece.utf8 { out.append(byteToScalar[Int(b)]) }
        return String(out)
    }
}

/// The GPT-2 pre-tokenizer regex, implemented by hand over Unicode scalars:
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
func gpt2Split(_ text: Substring) -> [Substring] {
    let scalars = Array(text.unicodeScalars)
    var indices: [String.Index] = []
    indices.reserveCapacity(scalars.count + 1)
    var i = text.unicodeScalars.startIndex
    while i < text.unicodeScalars.endIndex { indices.append(i); text.unicodeScalars.formIndex(after: &i) }
    indices.append(text.endIndex)

    let n = scalars.count
    var pieces: [Substring] = []
    var pos = 0
    func run(from start: Int, _ pred: (Unicode.Scalar) -> Bool) -> Int {
        var j = start
        while j < n && pred(scalars[j]) { j += 1 }
        return j
    }
    while pos < n {
        let c = scalars[pos]
        var end = pos
        // Contractions (case-sensitive).
        if c == "'" && pos + 1 < n {
            let a = scalars[pos + 1]
            if a == "s" || a == "t" || a == "m" || a == "d" { end = pos + 2 }
            else if pos + 2 < n {
                let b = scalars[pos + 2]
                if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { end = pos + 3 }
            }
        }
        if end == pos {
            let hasSpace = c == " " && pos + 1 < n
            let first = hasSpace ? scalars[pos + 1] : c
            let start = hasSpace ? pos + 1 : pos
            if isLetter(first) { end = run(from: start, isLetter) }
            else if isNumber(first) { end = run(from: start, isNumber) }
            else if !isWhitespace(first) { end = run(from: start) { !isWhitespace($0) && !isLetter($0) && !isNumber($0) } }
            else {
                // Whitespace run: `\s+(?!\S)` leaves the last whitespace to prefix the next token.
                let j = run(from: pos, isWhitespace)
                end = (j < n && j - pos > 1) ? j - 1 : j
            }
        }
        pieces.append(text[indices[pos]..<indices[end]])
        pos = end
    }
    return pieces
}

@inline(__always) func isLetter(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122) }
    switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
}

@inline(__always) func isNumber(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return s.value >= 48 && s.value <= 57 }
    switch s.properties.generalCategory {
    case .decimalNumber, .letterNumber, .otherNumber: return true
    default: return false
    }
}

@inline(__always) func isWhitespace(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return s == " " || (s.value >= 9 && s.value <= 13) }
    return s.properties.isWhitespace
}
