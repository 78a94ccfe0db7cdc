import CZeroMQ

/// A CURVE key pair in Z85 text (40 characters each).
public struct CurveKeyPair: Sendable, Equatable {
    public var publicKey: String
    public var secretKey: String

    public init(publicKey: String, secretKey: String) { self.publicKey = publicKey; self.secretKey = secretKey }

    /// A fresh key pair from `zmq_curve_keypair`.
    public static func generate() throws -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41), sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        return CurveKeyPair(publicKey: z85String(pub), secretKey: z85String(sec))
    }

    /// The public key that belongs to a Z85 secret key.
    public static func publicKey(forSecret secret: String) throws -> String {
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secret) == 0 else { throw ZMQError.last("zmq_curve_public") }
        return z85String(pub)
    }

    private static func z85String(_ buf: [CChar]) -> String {
        String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Z85 text of 32 raw key bytes.
    public static func z85(_ raw: [UInt8]) -> String? {
        guard raw.count == 32 else { return nil }
        var out = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&out, raw, 32) != nil else { return nil }
        return z85String(out)
    }

    /// True when `key` is 40 characters of the Z85 alphabet.
    public static func isValidZ85Key(_ key: String) -> Bool {
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
        return key.count == 40 && key.allSatisfy { alphabet.contains($0) }
    }
}

extension ZMQSocket {
    /// Makes this socket a CURVE server with the given secret key, authenticated through ZAP domain `domain`.
    public func makeCurveServer(secretKey: String, domain: String = "acbench") throws {
        try set(ZMQ_CURVE_SERVER, Int32(1))
        try set(ZMQ_CURVE_SECRETKEY, string: secretKey)
        try set(ZMQ_ZAP_DOMAIN, string: domain)
    }

    /// Makes this socket a CURVE client of the server with public key `serverKey`.
    public func makeCurveClient(serverKey: String, keys: CurveKeyPair) throws {
        try set(ZMQ_CURVE_SERVERKEY, string: serverKey)
        try set(ZMQ_CURVE_PUBLICKEY, string: keys.publicKey)
        try set(ZMQ_CURVE_SECRETKEY, string: keys.secretKey)
    }
}
