import Foundation
@testable import Tasks

/// Fixture and data locations of the conformance tests.
enum FixtureSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$ACBENCH_FIXTURES`, else `../shared/fixtures` beside the package root.
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["ACBENCH_FIXTURES"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
    }

    /// `scoring/<suite>/<name>` under the fixture root.
    static func path(_ suite: String, _ name: String) -> String {
        root.appendingPathComponent("scoring/\(suite)/\(name)").path
    }

    /// jieba's release folder: `$ACBENCH_JIEBA`, else `data/jieba` in the package
    /// (`acbench data fetch longbench` puts it there).
    static var jiebaFolder: String {
        if let env = ProcessInfo.processInfo.environment["ACBENCH_JIEBA"], !env.isEmpty { return env }
        return packageRoot.appendingPathComponent("data/jieba").path
    }

    static func json(_ suite: String, _ name: String) throws -> JSONValue {
        try JSONValue.parse(file: path(suite, name))
    }

    static func jsonLines(_ suite: String, _ name: String) throws -> [JSONValue] {
        try JSONValue.parseLines(file: path(suite, name)).map(\.value)
    }

    /// Whether two floats agree to `1e-6` (both NaN counts as agreement).
    static func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool {
        (a.isNaN && b.isNaN) || abs(a - b) <= tol
    }
}
