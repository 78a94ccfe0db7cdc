import Foundation
import Testing
@testable import Protocol
@testable import Worker

/// A journal path in a fresh temporary folder (removed afterwards).
private final class JournalDir: @unchecked Sendable {
    let dir: String
    var path: String { dir + "/journal/w1.jsonl" }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("acbench-journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func appendRaw(_ text: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
        try h.close()
    }
}

private func result(_ unit: String = "u1", epoch: Int = 1, seq: Int) -> Journal.Entry {
    let r = ResultMessage(unit: unit, epoch: epoch, seq: seq,
                          sample: SampleResult(sampleId: "s\(seq)", index: seq - 1, scores: ["f1": Double(seq) / 10],
                                               output: "answer \(seq)\nwith a newline"))
    return Journal.Entry(unit: unit, epoch: epoch, seq: seq, result: r, finish: nil)
}

private func finish(_ unit: String = "u1", epoch: Int = 1, seq: Int) -> Journal.Entry {
    let f = FinishMessage(unit: unit, epoch: epoch, seq: seq, outcome: .done, sampleCount: seq - 1, summary: ["mean": 0.5])
    return Journal.Entry(unit: unit, epoch: epoch, seq: seq, result: nil, finish: f)
}

private func keys(_ entries: [Journal.Entry]) -> [String] { entries.map { "\($0.unit)@\($0.epoch)#\($0.seq)" } }

@Suite("Journal")
struct JournalTests {
    @Test("appended entries survive a restart, unacknowledged, in order")
    func reload() throws {
        let d = try JournalDir()
        let entries = [result(seq: 1), result("u2", seq: 1), result(seq: 2), finish(seq: 3)]
        do {
            let j = try Journal(path: d.path)
            #expect(j.pending.isEmpty)
            for e in entries { try j.append(e) }
            #expect(j.pending == entries)
        }
        let j2 = try Journal(path: d.path)
        #expect(j2.pending == entries)
        #expect(j2.pending.map(\.message) == entries.map(\.message))
        #expect(j2.pendingCount(unit: "u1", epoch: 1) == 3)
        #expect(j2.pendingCount(unit: "u2", epoch: 1) == 1)
        #expect(j2.pendingCount(unit: "u1", epoch: 2) == 0)
        // Appending the same key again replaces it in place.
        try j2.append(result("u2", seq: 1))
        #expect(keys(j2.pending) == ["u1@1#1", "u2@1#1", "u1@1#2", "u1@1#3"])
        #expect(keys(try Journal(path: d.path).pending) == ["u1@1#1", "u2@1#1", "u1@1#2", "u1@1#3"])
    }

    @Test("acknowledgements persist across a restart")
    func acks() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            for s in 1...5 { try j.append(result(seq: s)) }
            j.acknowledge(unit: "u1", epoch: 1, seqs: [1, 3])
            // An ack of another epoch or unit removes nothing.
            j.acknowledge(unit: "u1", epoch: 2, seqs: [2])
            j.acknowledge(unit: "u9", epoch: 1, seqs: [2])
            #expect(keys(j.pending) == ["u1@1#2", "u1@1#4", "u1@1#5"])
        }
        let j2 = try Journal(path: d.path)
        #expect(keys(j2.pending) == ["u1@1#2", "u1@1#4", "u1@1#5"])
        j2.acknowledge(unit: "u1", epoch: 1, seqs: [2, 4, 5])
        #expect(j2.pending.isEmpty)
        #expect(try Journal(path: d.path).pending.isEmpty)
    }

    @Test("a torn last line is ignored")
    func tornLine() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            try j.append(result(seq: 1))
            try j.append(result(seq: 2))
        }
        // A crash in the middle of writing the third entry.
        let full = try d.lines()[1]
        try d.appendRaw(String(full.prefix(full.count / 2)))
        let j = try Journal(path: d.path)
        #expect(keys(j.pending) == ["u1@1#1", "u1@1#2"])
    }

    @Test("entries appended after a torn line survive the next restart")
    func appendAfterTornLine() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            try j.append(result(seq: 1))
        }
        try d.appendRaw(#"{"e":{"unit":"u1","epo"#)
        do {
            let j = try Journal(path: d.path)
            #expect(keys(j.pending) == ["u1@1#1"])
            try j.append(result(seq: 2))
            j.acknowledge(unit: "u1", epoch: 1, seqs: [1])
            #expect(keys(j.pending) == ["u1@1#2"])
        }
        #expect(keys(try Journal(path: d.path).pending) == ["u1@1#2"])
    }

    @Test("a complete last entry without its newline is kept, and later appends survive")
    func unterminatedLastLine() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            try j.append(result(seq: 1))
            try j.append(result(seq: 2))
        }
        // Cut only the final newline.
        let text = try String(contentsOfFile: d.path, encoding: .utf8)
        try String(text.dropLast()).write(toFile: d.path, atomically: false, encoding: .utf8)
        do {
            let j = try Journal(path: d.path)
            #expect(keys(j.pending) == ["u1@1#1", "u1@1#2"])
            try j.append(result(seq: 3))
        }
        #expect(keys(try Journal(path: d.path).pending) == ["u1@1#1", "u1@1#2", "u1@1#3"])
    }

    @Test("drop(unit:epoch:) removes only that epoch, durably")
    func drop() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            try j.append(result(epoch: 1, seq: 1))
            try j.append(result(epoch: 2, seq: 1))
            try j.append(result("u2", epoch: 1, seq: 1))
            try j.append(finish(epoch: 1, seq: 2))
            j.drop(unit: "u1", epoch: 1)
            #expect(keys(j.pending) == ["u1@2#1", "u2@1#1"])
            j.drop(unit: "u3", epoch: 1)   // nothing to drop
            #expect(keys(j.pending) == ["u1@2#1", "u2@1#1"])
        }
        #expect(keys(try Journal(path: d.path).pending) == ["u1@2#1", "u2@1#1"])
    }

    @Test("compaction rewrites the file with the pending entries only, and appending continues")
    func compaction() throws {
        let d = try JournalDir()
        let j = try Journal(path: d.path)
        for s in 1...1100 { try j.append(result(seq: s)) }
        #expect(try d.lines().count == 1100)
        j.acknowledge(unit: "u1", epoch: 1, seqs: Array(1...1090))
        let kept = (1091...1100).map { "u1@1#\($0)" }
        #expect(keys(j.pending) == kept)
        #expect(try d.lines().count == 10, "the file was compacted")
        // The journal keeps writing to the new file.
        try j.append(finish(seq: 1101))
        j.acknowledge(unit: "u1", epoch: 1, seqs: [1091])
        #expect(try d.lines().count == 12)
        let reloaded = try Journal(path: d.path)
        #expect(keys(reloaded.pending) == Array(kept.dropFirst()) + ["u1@1#1101"])
        #expect(reloaded.pending.last?.finish != nil)
        #expect(reloaded.pending.first?.result?.sample.output == "answer 1092\nwith a newline")
    }

    @Test("a journal that mostly holds acknowledged lines is compacted when it is opened")
    func compactionOnOpen() throws {
        let d = try JournalDir()
        do {
            let j = try Journal(path: d.path)
            for s in 1...700 {
                try j.append(result(seq: s))
                if s > 3 { j.acknowledge(unit: "u1", epoch: 1, seqs: [s]) }
            }
        }
        // 700 entries + 697 acks were written; at most a few lines should remain after reopening.
        let j = try Journal(path: d.path)
        #expect(keys(j.pending) == ["u1@1#1", "u1@1#2", "u1@1#3"])
        #expect(try d.lines().count <= 1000)
        #expect(keys(try Journal(path: d.path).pending) == ["u1@1#1", "u1@1#2", "u1@1#3"])
    }
}
