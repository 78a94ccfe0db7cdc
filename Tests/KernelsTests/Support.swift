import Testing
@testable import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// The package root, from this file's path.
let packageRoot: String = {
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/KernelsTests/Support.swift
    return parts.joined(separator: "/")
}()

/// The fixture root: `ACBENCH_FIXTURES`, or `../shared/fixtures` next to the package root.
let fixtureRoot: String = {
    if let env = getenv("ACBENCH_FIXTURES") { return String(cString: env) }
    var parts = packageRoot.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    return parts.joined(separator: "/") + "/shared/fixtures"
}()

func fixture(_ rel: String) -> String { fixtureRoot + "/kernels/" + rel }

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func readBytes(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else { throw TestFailure("cannot open \(path)") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n == 0 { break }
        out += buf.prefix(n)
    }
    return out
}

func readJSON(_ path: String) throws -> JSON {
    try JSON.parse(try readBytes(path))
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A temporary directory for one test.
func makeTempDir() -> String {
    var template = Array("/tmp/kernels-test-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: p!)
}

/// Deterministic pseudo-random floats in [-1, 1).
struct LCG {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Double(state >> 40) / Double(1 << 24)) * 2 - 1
    }
    mutating func matrix(_ r: Int, _ c: Int) -> Matrix { Matrix(rows: r, cols: c) { _, _ in next() } }
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var m: Float = 0
    for i in 0..<a.count { m = max(m, abs(a[i] - b[i])) }
    return m
}
