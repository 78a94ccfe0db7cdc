import CCrypto

/// SHA-256 through OpenSSL's libcrypto (a thin system-library binding, no hand-written hashing).
public enum Digest {
    /// The SHA-256 of `bytes` as 64 lowercase hex characters.
    public static func sha256Hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        let input = Array(bytes)
        let ok = input.withUnsafeBytes { buf in
            EVP_Digest(buf.baseAddress, buf.count, &out, &len, EVP_sha256(), nil)
        }
        precondition(ok == 1, "EVP_Digest(sha256) failed")
        return hex(out.prefix(Int(len)))
    }

    /// The SHA-256 of a string's UTF-8 bytes.
    public static func sha256Hex(_ string: String) -> String { sha256Hex(Array(string.utf8)) }

    /// Lowercase hex of a byte sequence.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var chars = [UInt8]()
        chars.reserveCapacity(bytes.count * 2)
        for b in bytes { chars.append(digits[Int(b >> 4)]); chars.append(digits[Int(b & 0xf)]) }
        return String(decoding: chars, as: UTF8.self)
    }
}
