import Testing
@testable import Protocol
#if canImport(Glibc)
import Glibc
#endif

/// Receives one message on `socket`, waiting up to `timeoutMs`; nil when none came.
private func receive(_ socket: ZMQSocket, timeoutMs: Int) throws -> ZMQSocket.Message? {
    let deadline = monotonicClock() + Double(timeoutMs) / 1000
    while true {
        if let m = try socket.receive() { return m }
        let left = Int((deadline - monotonicClock()) * 1000)
        if left <= 0 { return nil }
        _ = ZMQPoll.readable([.socket(socket)], timeoutMs: min(left, 50))
    }
}

/// These tests are synchronous: every socket is created, used and closed on the test's one thread.
@Suite("ZMQ")
struct ZMQTests {
    let codec = WireCodec()

    @Test("ROUTER/DEALER round trip over tcp://127.0.0.1:*")
    func routerDealer() throws {
        let context = ZMQContext()
        defer { context.terminate() }
        let router = try ZMQSocket(context, .router)
        defer { router.close() }
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = router.lastEndpoint
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(!endpoint.hasSuffix(":*"))

        let dealer = try ZMQSocket(context, .dealer)
        defer { dealer.close() }
        try dealer.connect(endpoint)

        let ask = WireMessage.ask(AskMessage(serving: "base:m", artifacts: ["x"]))
        #expect(try dealer.send(try codec.encode(ask)))
        let got = try #require(try receive(router, timeoutMs: 3000), "the ROUTER got nothing")
        #expect(got.frames.count == 4, "routing id + tag + command + body")
        #expect(got.userId == nil, "no ZAP user id without CURVE")
        let peer = got.frames[0]
        #expect(try codec.decode(Array(got.frames.dropFirst())) == ask)

        // The reply goes back through the routing id.
        let ack = WireMessage.ack(AckMessage(unit: "u", epoch: 1, seqs: [1, 2]))
        #expect(try router.send([peer] + codec.encode(ack)))
        let reply = try #require(try receive(dealer, timeoutMs: 3000), "the DEALER got nothing")
        #expect(reply.frames.count == 3)
        #expect(try codec.decode(reply.frames) == ack)

        // Nothing else is waiting.
        #expect(try router.receive() == nil)
        #expect(try dealer.receive() == nil)
    }

    @Test("key helpers: generated keys are Z85 and the public key derives from the secret")
    func keys() throws {
        let k = try CurveKeyPair.generate()
        #expect(CurveKeyPair.isValidZ85Key(k.publicKey))
        #expect(CurveKeyPair.isValidZ85Key(k.secretKey))
        #expect(k.publicKey != k.secretKey)
        #expect(try CurveKeyPair.publicKey(forSecret: k.secretKey) == k.publicKey)
        #expect(!CurveKeyPair.isValidZ85Key(String(k.publicKey.dropLast())))
        #expect(!CurveKeyPair.isValidZ85Key(String(k.publicKey.dropLast()) + "~"))
        #expect(CurveKeyPair.z85([UInt8](repeating: 0, count: 31)) == nil)
        #expect(CurveKeyPair.z85([UInt8](repeating: 0, count: 32))?.count == 40)
    }

    @Test("CURVE with a ZAP allow-list: a listed key gets in with its name, an unlisted one is refused")
    func curveAllowList() throws {
        let server = try CurveKeyPair.generate()
        let listed = try CurveKeyPair.generate()
        let unlisted = try CurveKeyPair.generate()

        let context = ZMQContext()
        defer { context.terminate() }
        let refused = Locked<[String]>([])
        let zap = ZAPHandler(context: context, allowed: ["worker-a": listed.publicKey]) { key, _ in
            refused.withLock { $0.append(key) }
        }
        try zap.start()   // before the CURVE server binds
        defer { zap.stop() }

        let router = try ZMQSocket(context, .router)
        defer { router.close() }
        try router.makeCurveServer(secretKey: server.secretKey)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = router.lastEndpoint

        // A listed worker: its messages arrive, carrying the name it is listed under.
        let good = try ZMQSocket(context, .dealer)
        defer { good.close() }
        try good.makeCurveClient(serverKey: server.publicKey, keys: listed)
        try good.connect(endpoint)
        let hello = WireMessage.leaving(LeavingMessage(reason: "hello from a"))
        try good.send(try codec.encode(hello))
        let got = try #require(try receive(router, timeoutMs: 5000), "the listed worker's message never arrived")
        #expect(got.userId == "worker-a")
        #expect(try codec.decode(Array(got.frames.dropFirst())) == hello)

        // An unlisted worker: nothing it sends is delivered, and its monitor reports the ZAP refusal.
        let bad = try ZMQSocket(context, .dealer)
        defer { bad.close() }
        let monitor = try SocketMonitor(context: context, watching: bad, name: "unlisted-\(getpid())")
        defer { monitor.close() }
        try bad.makeCurveClient(serverKey: server.publicKey, keys: unlisted)
        try bad.connect(endpoint)
        _ = try bad.send(try codec.encode(.leaving(LeavingMessage(reason: "intruder"))))

        var events: [SocketMonitor.Event] = []
        var delivered: [ZMQSocket.Message] = []
        let deadline = monotonicClock() + 1.5
        while monotonicClock() < deadline {
            _ = ZMQPoll.readable([.socket(router), .socket(monitor.pair)], timeoutMs: 50)
            while let m = try router.receive() { delivered.append(m) }
            events += monitor.drain()
        }
        #expect(delivered.isEmpty, "an unlisted key got a message through: \(delivered.map(\.userId))")
        let auth = events.filter(\.isAuthFailure)
        #expect(!auth.isEmpty, "no HANDSHAKE_FAILED_AUTH among \(events.map { String($0.code, radix: 16) })")
        #expect(auth.first?.value == 400, "the ZAP status code travels as the event value")
        #expect(!events.contains { $0.isHandshakeSucceeded })
        #expect(refused.withLock { $0 }.contains(unlisted.publicKey))

        // The listed worker is unaffected.
        try good.send(try codec.encode(.heartbeat))
        let again = try #require(try receive(router, timeoutMs: 3000))
        #expect(again.userId == "worker-a")
        #expect(try codec.decode(Array(again.frames.dropFirst())) == .heartbeat)
    }

    @Test("ZAP replies: refused without CURVE credentials and for unknown keys, malformed requests answered")
    func zapReplies() throws {
        let listed = try CurveKeyPair.generate()
        let zap = ZAPHandler(context: ZMQContext(), allowed: ["w": listed.publicKey])
        func text(_ s: String) -> [UInt8] { Array(s.utf8) }
        let raw = try #require(zmqZ85Decode(listed.publicKey))
        let base = [text("1.0"), text("id-7"), text("acbench"), text("127.0.0.1"), text(""), text("CURVE")]
        let ok = zap.reply(to: base + [raw])
        #expect(ok[0] == text("1.0") && ok[1] == text("id-7") && ok[2] == text("200") && ok[4] == text("w"))
        let other = zap.reply(to: base + [[UInt8](repeating: 7, count: 32)])
        #expect(other[2] == text("400") && other[1] == text("id-7") && other[4].isEmpty)
        let plain = zap.reply(to: [text("1.0"), text("id-8"), text("acbench"), text("127.0.0.1"), text(""), text("NULL")])
        #expect(plain[2] == text("400"))
        let short = zap.reply(to: [text("1.0")])
        #expect(short.count == 6 && short[2] == text("500"))
        let badKey = zap.reply(to: base + [[1, 2, 3]])
        #expect(badKey[2] == text("400"))
    }
}

/// Raw 32 bytes of a Z85 key (the inverse of `CurveKeyPair.z85`), decoded in Swift.
private func zmqZ85Decode(_ s: String) -> [UInt8]? {
    let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
    var index: [Character: UInt32] = [:]
    for (i, c) in alphabet.enumerated() { index[c] = UInt32(i) }
    let chars = Array(s)
    guard chars.count % 5 == 0 else { return nil }
    var out: [UInt8] = []
    for i in stride(from: 0, to: chars.count, by: 5) {
        var v: UInt32 = 0
        for c in chars[i..<i + 5] {
            guard let d = index[c] else { return nil }
            v = v &* 85 &+ d
        }
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
    return out
}
