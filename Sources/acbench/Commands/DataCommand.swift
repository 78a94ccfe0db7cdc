import ArgumentParser
import FoundationEssentials
import Protocol
import Subprocess
import SystemPackage
import Tasks

/// `acbench data fetch SUITE` and `acbench data check`: the suites' public releases under data/.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Download the benchmark suites' public data into data/ and verify what is present.",
        subcommands: [Fetch.self, Check.self])

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a suite's release (needs internet) and record checksums.")

        @Argument(help: "longbench, longgenbench, worfbench or teval.")
        var suite: String

        @Option(help: "The data folder.")
        var data: String = "data"

        func run() async throws {
            guard let release = DataCatalog.release(suite) else {
                throw CLIError("data fetch: unknown suite '\(suite)' (known: \(DataCatalog.releases.map(\.suite).joined(separator: ", ")))")
            }
            let staging = data + "/.staging-\(suite)"
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            for d in release.downloads {
                let archive = staging + "/download"
                print("fetching \(d.url)")
                try await Self.tool("curl", ["-fsSL", "--retry", "2", "-o", archive, d.url], failure: "cannot download \(d.url)")
                let target = data + "/" + d.destination
                switch d.kind {
                case "file":
                    try FileManager.default.createDirectory(atPath: Files.directory(of: target), withIntermediateDirectories: true)
                    try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.moveItem(atPath: archive, toPath: target)
                default:
                    let unpacked = staging + "/unpacked"
                    try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
                    if d.kind == "zip" {
                        try await Self.tool("unzip", ["-q", "-o", archive, "-d", unpacked], failure: "cannot unpack \(d.url)")
                    } else {
                        try await Self.tool("tar", ["-xzf", archive, "-C", unpacked], failure: "cannot unpack \(d.url)")
                    }
                    var source = unpacked + (d.member.isEmpty ? "" : "/" + d.member)
                    // GitHub archives wrap everything in one top folder.
                    if d.member.isEmpty || !Files.exists(source),
                       let entries = try? FileManager.default.contentsOfDirectory(atPath: unpacked), entries.count == 1 {
                        source = unpacked + "/" + entries[0] + (d.member.isEmpty ? "" : "/" + d.member)
                    }
                    guard Files.exists(source) else { throw CLIError("data fetch: \(d.url) has no folder '\(d.member)'") }
                    try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.createDirectory(atPath: Files.directory(of: target), withIntermediateDirectories: true)
                    try FileManager.default.moveItem(atPath: source, toPath: target)
                    try? FileManager.default.removeItem(atPath: unpacked)
                }
            }
            let sums = DataCatalog.checksums(release, root: data).map { "\($0.sha256)  \($0.path)" }.joined(separator: "\n")
            _ = FileManager.default.createFile(atPath: data + "/\(suite).sha256", contents: Data((sums + "\n").utf8))
            let problems = DataCatalog.verify(release, root: data)
            if let note = release.note { print("note: \(note)") }
            guard problems.isEmpty else { throw CLIError("data fetch \(suite): incomplete: " + problems.joined(separator: "; ")) }
            print("\(suite): \(release.required.count) files present, checksums in \(data)/\(suite).sha256")
        }

        static func tool(_ name: String, _ args: [String], failure: String) async throws {
            let status: TerminationStatus, stderr: String
            do {
                let r = try await Subprocess.run(.name(name), arguments: Arguments(args), output: .discarded, error: .string(limit: 1 << 16))
                status = r.terminationStatus; stderr = r.standardError
            } catch { throw CLIError("data fetch: \(failure): cannot run \(name): \(error)") }
            guard case .exited(0) = status else {
                let detail = stderr.split(separator: "\n").last.map(String.init) ?? "\(status)"
                throw CLIError("data fetch: \(failure) (\(detail)); this machine may have no internet access")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify which suites' data is present and intact.")

        @Option(help: "The data folder.")
        var data: String = "data"

        func run() throws {
            var bad = 0
            for release in DataCatalog.releases {
                let problems = DataCatalog.verify(release, root: data)
                if problems.isEmpty {
                    print("\(release.suite): ok (\(release.required.count) files)")
                } else {
                    bad += 1
                    let shown = problems.prefix(5).joined(separator: ", ") + (problems.count > 5 ? ", … (\(problems.count) in all)" : "")
                    print("\(release.suite): \(shown) — run acbench data fetch \(release.suite)")
                }
            }
            if bad > 0 { throw ExitCode(1) }
        }
    }
}
