import Foundation
import Testing
@testable import Protocol

/// One valid example of every message of the protocol.
enum WireSamples {
    static let capabilities = Capabilities(host: "gpu-01", gpus: [0, 1], device: "NVIDIA H200", memoryGiB: 139.5,
                                           artifacts: ["c0ffee"], kinds: [.compress, .eval])
    static let sample = SampleResult(sampleId: "wb-0001", index: 7, scores: ["f1": 0.5, "success": 1],
                                     output: "answer with \"quotes\", ünïcode and\nnewlines",
                                     meta: ["depth": "50%"], latencyMs: 12.25)
    static let unit = UnitSpec(id: "abc123", slot: "m/none/t", kind: .eval,
                               model: ModelSpec(name: "m", path: "/models/m", revision: "r1", paramsB: 0.135),
                               method: MethodSpec(name: "none", algorithm: "none"),
                               task: TaskSpec(name: "t", suite: "synthetic", params: ["samples": .int(3)]),
                               shard: 0, shardCount: 1, generation: GenerationSettings(), dependsOn: [],
                               identityJSON: "{\"kind\":\"eval\"}", estimatedCost: 1.5, memoryGiB: 2)
    static let artifact = ArtifactInfo(path: "/artifacts/x", digest: "d1", bytes: 1 << 33, host: "gpu-01")

    static let all: [WireMessage] = [
        .ready(ReadyMessage(worker: "w1", incarnation: "inc-1", capabilities: capabilities, serving: "c0ffee",
                            running: [RunningUnit(unit: "abc123", epoch: 3)])),
        .ready(ReadyMessage(worker: "w2", incarnation: "inc-2", capabilities: capabilities)),
        .ask(AskMessage(serving: "base:m", artifacts: ["a", "b"])),
        .ask(AskMessage()),
        .progress(ProgressMessage(unit: "abc123", epoch: 1, done: 3, total: 10, note: "layer 3/32")),
        .result(ResultMessage(unit: "abc123", epoch: 2, seq: 5, sample: sample)),
        .finish(FinishMessage(unit: "abc123", epoch: 2, seq: 6, outcome: .done, sampleCount: 5,
                              summary: ["mean": 0.5], artifact: artifact)),
        .finish(FinishMessage(unit: "abc123", epoch: 2, seq: 6, outcome: .failed, sampleCount: 0,
                              failure: .outOfMemory, message: "CUDA out of memory")),
        .leaving(LeavingMessage(reason: "SIGTERM")),
        .assign(AssignMessage(unit: unit, epoch: 4, attempt: 4, leaseSeconds: 600, completed: [[0, 3], [5, 5]],
                              artifact: artifact, hints: RetryHints(gpuMemoryUtilization: 0.8, maxModelLen: 4096))),
        .assign(AssignMessage(unit: unit, epoch: 1, attempt: 1, leaseSeconds: 0.5, completed: [], artifact: nil)),
        .noWork(NoWorkMessage(retryAfterMs: 250, sweepDone: false)),
        .noWork(NoWorkMessage(retryAfterMs: 0, sweepDone: true)),
        .ack(AckMessage(unit: "abc123", epoch: 2, seqs: [1, 2, 3])),
        .cancel(CancelMessage(unit: "abc123", epoch: 2, reason: "stale epoch")),
        .disconnect(DisconnectMessage(reason: "not registered", fatal: false)),
        .heartbeat,
    ]
}

/// The `WireError` that decoding `frames` throws (an issue is recorded when it throws something else or nothing).
private func wireError(_ frames: [[UInt8]], codec: WireCodec = WireCodec(),
                       sourceLocation: SourceLocation = #_sourceLocation) -> WireError? {
    do {
        let m = try codec.decode(frames)
        Issue.record("decoded \(m.command) instead of failing", sourceLocation: sourceLocation)
        return nil
    } catch let e as WireError {
        return e
    } catch {
        Issue.record("threw \(type(of: error)) instead of WireError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

private let tag = Array(WireVersion.tag.utf8)

/// Frames of command `c` with a hand-written JSON body.
private func frames(_ c: Command, _ json: String) -> [[UInt8]] { [tag, [c.rawValue], Array(json.utf8)] }

/// The JSON body `message` encodes to, as a mutable dictionary.
private func body(_ message: WireMessage) throws -> [String: Any] {
    let f = try WireCodec().encode(message)
    return try #require(JSONSerialization.jsonObject(with: Data(f[2])) as? [String: Any])
}

/// Frames of `message` after `edit` changed its JSON body.
private func edited(_ message: WireMessage, _ edit: (inout [String: Any]) -> Void) throws -> [[UInt8]] {
    var b = try body(message)
    edit(&b)
    let data = try JSONSerialization.data(withJSONObject: b)
    return [tag, [message.command.rawValue], Array(data)]
}

@Suite("WireCodec")
struct WireCodecTests {
    let codec = WireCodec()

    @Test("every command is covered by the samples")
    func samplesCoverEveryCommand() {
        #expect(Set(WireSamples.all.map(\.command)) == Set(Command.allCases))
    }

    @Test("every message round-trips", arguments: WireSamples.all)
    func roundTrip(_ message: WireMessage) throws {
        let f = try codec.encode(message)
        #expect(f.count == 3)
        #expect(f[0] == tag)
        #expect(f[1] == [message.command.rawValue])
        let back = try codec.decode(f)
        #expect(back == message)
        // UnitSpec compares by id only: compare the full encoding as well.
        #expect(try codec.encode(back) == f)
    }

    @Test("command bytes are unique and fixed")
    func commandBytes() {
        #expect(Set(Command.allCases.map(\.rawValue)).count == Command.allCases.count)
        #expect(Command.ready.rawValue == 0x01 && Command.heartbeat.rawValue == 0x20 && Command.assign.rawValue == 0x10)
    }

    @Test("wrong frame count")
    func frameCount() {
        #expect(wireError([]) == .frameCount(0))
        #expect(wireError([tag]) == .frameCount(1))
        #expect(wireError([tag, [Command.heartbeat.rawValue]]) == .frameCount(2))
        #expect(wireError([tag, [Command.heartbeat.rawValue], Array("{}".utf8), []]) == .frameCount(4))
        #expect(WireError.frameCount(2).description.contains("got 2"))
    }

    @Test("another tag is a version mismatch naming both versions")
    func versionMismatch() throws {
        let e = try #require(wireError([Array("ACB2".utf8), [Command.heartbeat.rawValue], Array("{}".utf8)]))
        #expect(e == .versionMismatch(got: "ACB2"))
        #expect(e.description.contains("ACB2"))
        #expect(e.description.contains(WireVersion.tag))
        #expect(e.description.contains("protocol version mismatch"))
        // A peer speaking another protocol with another frame layout is also told about the version.
        #expect(wireError([Array("MDPW01".utf8), [1]]) == .versionMismatch(got: "MDPW01"))
        // Binary garbage in the tag does not crash the message.
        let g = try #require(wireError([[0xff, 0xfe, 0x00], [1], Array("{}".utf8)]))
        guard case .versionMismatch = g else { Issue.record("got \(g)"); return }
        _ = g.description
    }

    @Test("unknown or malformed command byte")
    func unknownCommand() {
        #expect(wireError([tag, [0x7f], Array("{}".utf8)]) == .unknownCommand(0x7f))
        #expect(wireError([tag, [0x00], Array("{}".utf8)]) == .unknownCommand(0x00))
        #expect(wireError([tag, [], Array("{}".utf8)]) == .unknownCommand(0))
        #expect(wireError([tag, [0x01, 0x02], Array("{}".utf8)]) == .unknownCommand(0x01))
        #expect(WireError.unknownCommand(0x7f).description.contains("0x7f"))
    }

    @Test("oversize messages are refused on both sides")
    func oversize() throws {
        let small = WireCodec(maxBytes: 200)
        let big = WireMessage.leaving(LeavingMessage(reason: String(repeating: "x", count: 500)))
        // Sender side: encode refuses instead of sending something the peer drops.
        do {
            _ = try small.encode(big)
            Issue.record("encode accepted an oversize message")
        } catch let e as WireError {
            guard case .tooLarge(let n, let limit) = e else { Issue.record("got \(e)"); return }
            #expect(limit == 200 && n > 200)
            #expect(e.description.contains("200"))
        }
        // Receiver side: checked before anything is parsed (even a wrong frame count).
        let frames = try codec.encode(big)
        let total = frames.reduce(0) { $0 + $1.count }
        #expect(wireError(frames, codec: small) == .tooLarge(bytes: total, limit: 200))
        #expect(wireError([Array(repeating: 0, count: 300)], codec: small) == .tooLarge(bytes: 300, limit: 200))
        // Exactly at the limit is fine.
        let exact = WireCodec(maxBytes: total)
        #expect(try exact.decode(frames) == big)
        #expect(try exact.encode(big) == frames)
    }

    @Test("invalid JSON is a badBody of that command")
    func invalidJSON() throws {
        for text in ["{not json", "", "[]", "null", "\"str\"", "{\"reason\": }", "{\"reason\":\"x\"", "\u{0}"] {
            let e = try #require(wireError(frames(.leaving, text)), "body \(text.debugDescription)")
            guard case .badBody(let c, let detail) = e else { Issue.record("body \(text.debugDescription): \(e)"); continue }
            #expect(c == .leaving)
            #expect(!detail.isEmpty)
        }
        // A heartbeat still needs a JSON object body.
        guard case .badBody(.heartbeat, _)? = wireError(frames(.heartbeat, "x")) else { Issue.record("heartbeat"); return }
        // JSON has no NaN: a body carrying one is refused, not read as a number.
        let e = wireError(frames(.result, #"{"unit":"u","epoch":1,"seq":1,"sample":{"sampleId":"s","index":0,"scores":{"f1":NaN},"output":"","meta":{},"latencyMs":0}}"#))
        guard case .badBody(.result, _)? = e else { Issue.record("NaN body: \(String(describing: e))"); return }
    }

    @Test("missing fields name the key")
    func missingFields() throws {
        let progress = WireSamples.all.first { $0.command == .progress }!
        let e1 = try #require(wireError(try edited(progress) { $0["epoch"] = nil }))
        guard case .badBody(.progress, let d1) = e1 else { Issue.record("got \(e1)"); return }
        #expect(d1.contains("epoch"), "detail: \(d1)")

        let result = WireSamples.all.first { $0.command == .result }!
        let e2 = try #require(wireError(try edited(result) { b in
            var s = b["sample"] as! [String: Any]; s["sampleId"] = nil; b["sample"] = s
        }))
        guard case .badBody(.result, let d2) = e2 else { Issue.record("got \(e2)"); return }
        #expect(d2.contains("sample.sampleId"), "detail: \(d2)")

        let ready = WireSamples.all.first { $0.command == .ready }!
        let e3 = try #require(wireError(try edited(ready) { b in
            var c = b["capabilities"] as! [String: Any]; c["memoryGiB"] = nil; b["capabilities"] = c
        }))
        guard case .badBody(.ready, let d3) = e3 else { Issue.record("got \(e3)"); return }
        #expect(d3.contains("capabilities.memoryGiB"), "detail: \(d3)")

        // A wrong type is named too.
        let e4 = try #require(wireError(try edited(progress) { $0["done"] = "three" }))
        guard case .badBody(.progress, let d4) = e4 else { Issue.record("got \(e4)"); return }
        #expect(d4.contains("done"), "detail: \(d4)")

        // An unknown enum value (failure class) is refused.
        let failed = WireSamples.all.first { if case .finish(let f) = $0 { return f.outcome == .failed }; return false }!
        guard case .badBody(.finish, _)? = wireError(try edited(failed) { $0["failure"] = "cosmic_rays" }) else {
            Issue.record("unknown failure class accepted"); return
        }
    }

    /// Asserts that `frames` fails validation on `field` of `command`.
    private func expectInvalid(_ frames: [[UInt8]], _ command: Command, _ field: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = wireError(frames, sourceLocation: sourceLocation) else { return }
        guard case .invalid(let c, let f, let detail) = e else {
            Issue.record("expected invalid \(field), got \(e)", sourceLocation: sourceLocation); return
        }
        #expect(c == command, sourceLocation: sourceLocation)
        #expect(f == field, sourceLocation: sourceLocation)
        #expect(!detail.isEmpty, sourceLocation: sourceLocation)
        #expect(e.description.contains(field), sourceLocation: sourceLocation)
    }

    @Test("invalid field values are refused with the field's name")
    func invalidValues() throws {
        let all = WireSamples.all
        func first(_ c: Command) -> WireMessage { all.first { $0.command == c }! }
        expectInvalid(try edited(first(.progress)) { $0["epoch"] = 0 }, .progress, "epoch")
        expectInvalid(try edited(first(.cancel)) { $0["epoch"] = -3 }, .cancel, "epoch")
        expectInvalid(try edited(first(.result)) { $0["seq"] = 0 }, .result, "seq")
        expectInvalid(try edited(first(.finish)) { $0["seq"] = 0 }, .finish, "seq")
        expectInvalid(try edited(first(.result)) { $0["unit"] = "" }, .result, "unit")
        expectInvalid(try edited(first(.ack)) { $0["unit"] = "" }, .ack, "unit")
        expectInvalid(try edited(first(.ack)) { $0["seqs"] = [1, 0] }, .ack, "seqs")
        expectInvalid(try edited(first(.result)) { $0["unit"] = String(repeating: "u", count: 257) }, .result, "unit")
        expectInvalid(try edited(first(.result)) { $0["unit"] = "a\u{0}b" }, .result, "unit")
        expectInvalid(try edited(first(.result)) { b in
            var s = b["sample"] as! [String: Any]; s["index"] = -1; b["sample"] = s
        }, .result, "sample.index")
        expectInvalid(try edited(first(.ready)) { $0["worker"] = "" }, .ready, "worker")
        expectInvalid(try edited(first(.ready)) { $0["incarnation"] = "" }, .ready, "incarnation")
        expectInvalid(try edited(first(.ready)) { $0["minor"] = -1 }, .ready, "minor")
        expectInvalid(try edited(first(.ready)) { b in
            var c = b["capabilities"] as! [String: Any]; c["memoryGiB"] = -1; b["capabilities"] = c
        }, .ready, "capabilities.memoryGiB")
        expectInvalid(try edited(first(.ready)) { b in
            var c = b["capabilities"] as! [String: Any]; c["gpus"] = [0, -1]; b["capabilities"] = c
        }, .ready, "capabilities.gpus")
        expectInvalid(try edited(first(.ready)) { $0["running"] = [["unit": "u", "epoch": 0]] }, .ready, "epoch")
        expectInvalid(try edited(first(.progress)) { $0["done"] = -1 }, .progress, "done/total")
        expectInvalid(try edited(first(.noWork)) { $0["retryAfterMs"] = -5 }, .noWork, "retryAfterMs")
        expectInvalid(try edited(first(.assign)) { $0["epoch"] = 0 }, .assign, "epoch")
        expectInvalid(try edited(first(.assign)) { $0["leaseSeconds"] = 0 }, .assign, "leaseSeconds")
        expectInvalid(try edited(first(.assign)) { b in
            var u = b["unit"] as! [String: Any]; u["id"] = ""; b["unit"] = u
        }, .assign, "unit.id")
        // Completed ranges: [lo, hi] pairs with 0 ≤ lo ≤ hi.
        for bad: [[Int]] in [[[5, 3]], [[1]], [[1, 2, 3]], [[-1, 2]], [[0, 1], []]] {
            expectInvalid(try edited(first(.assign)) { $0["completed"] = bad }, .assign, "completed")
        }
        // A failed FINISH needs a failure class.
        let failed = all.first { if case .finish(let f) = $0 { return f.outcome == .failed }; return false }!
        expectInvalid(try edited(failed) { $0["failure"] = nil }, .finish, "failure")
        expectInvalid(try edited(first(.finish)) { $0["sampleCount"] = -1 }, .finish, "sampleCount")
    }

    @Test("NaN scores are refused by validation")
    func nanScore() throws {
        // JSON cannot carry NaN; the validator is the second line of defence for decoded values.
        var sample = WireSamples.sample
        sample.scores["f1"] = .nan
        let m = WireMessage.result(ResultMessage(unit: "u", epoch: 1, seq: 1, sample: sample))
        #expect(throws: WireError.invalid(command: .result, field: "sample.scores", detail: "must not be NaN")) {
            try MessageValidator.validate(m)
        }
        // And the encoder never produces a body the peer would have to guess about.
        #expect(throws: (any Error).self) { try codec.encode(m) }
    }

    @Test("random, truncated and bit-flipped frames never crash decode")
    func fuzz() throws {
        var rng = SplitMix64(seed: 0xACB_2025)
        let valid = try WireSamples.all.map { try codec.encode($0) }
        let small = WireCodec(maxBytes: 400)
        var decoded = 0, refused = 0
        var kinds: [String: Int] = [:]
        for i in 0..<4000 {
            var f = valid[Int(rng.next() % UInt64(valid.count))]
            switch i % 8 {
            case 0: // truncate the body
                f[2] = Array(f[2].prefix(Int(rng.next() % UInt64(f[2].count + 1))))
            case 1, 2: // flip a few bits anywhere
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let k = Int(rng.next() % 3)
                    guard !f[k].isEmpty else { continue }
                    let j = Int(rng.next() % UInt64(f[k].count))
                    f[k][j] ^= UInt8(1 << (rng.next() % 8))
                }
            case 3: // replace a body byte with a JSON-significant character
                let chars = Array("{}[]\":,0-9e.tfn \\".utf8)
                if !f[2].isEmpty { f[2][Int(rng.next() % UInt64(f[2].count))] = chars[Int(rng.next() % UInt64(chars.count))] }
            case 4: // random command byte
                f[1] = [UInt8(truncatingIfNeeded: rng.next())]
            case 5: // random frames
                f = (0..<Int(rng.next() % 5)).map { _ in (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            case 6: // drop or add frames
                if rng.next() % 2 == 0 { f.remove(at: Int(rng.next() % 3)) } else { f.insert([1, 2, 3], at: Int(rng.next() % 4)) }
            default: // splice the body of another message under this command
                f[2] = valid[Int(rng.next() % UInt64(valid.count))][2]
            }
            let c = i % 5 == 0 ? small : codec
            do {
                let m = try c.decode(f)
                decoded += 1
                // Whatever decodes is a valid message that encodes and decodes to itself.
                let again = try codec.encode(m)
                #expect(try codec.decode(again) == m)
            } catch let e as WireError {
                refused += 1
                _ = e.description
                kinds[kind(e), default: 0] += 1
            } catch {
                Issue.record("case \(i): decode threw \(type(of: error)), not WireError: \(error)")
            }
        }
        #expect(decoded + refused == 4000)
        #expect(refused > 2000)
        // Each error kind was reached.
        for k in ["frameCount", "versionMismatch", "unknownCommand", "tooLarge", "badBody"] {
            #expect(kinds[k, default: 0] > 0, "no \(k) among \(kinds)")
        }
    }
}

/// The case name of a `WireError`.
private func kind(_ e: WireError) -> String {
    switch e {
    case .frameCount: return "frameCount"
    case .versionMismatch: return "versionMismatch"
    case .unknownCommand: return "unknownCommand"
    case .tooLarge: return "tooLarge"
    case .badBody: return "badBody"
    case .invalid: return "invalid"
    }
}

/// A small seeded generator (SplitMix64), so a failing fuzz case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
