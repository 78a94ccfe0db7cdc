#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `scripts/bench/noop_openai_server.py` as a child process on an ephemeral loopback port.
final class NoopServer: @unchecked Sendable {
    let pid: pid_t
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static let script: String = {
        var path = #filePath   // …/Tests/WorkerTests/NoopServer.swift
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/scripts/bench/noop_openai_server.py"
    }()

    /// Starts the server with extra switches (`--echo`, `--sleep 2`, …) and waits for its port.
    init(_ switches: [String] = []) async throws {
        let portFile = "/tmp/acbench-noop-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).port"
        let argv = ["python3", Self.script, "--port-file", portFile] + switches
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawnp(&child, "python3", &actions, nil, &cArgs, environ)
        try #require(rc == 0, "cannot start python3: error \(rc)")
        pid = child
        var found: Int?
        for _ in 0..<500 {   // up to 10 s on a loaded machine
            if let f = fopen(portFile, "r") {
                var line = [CChar](repeating: 0, count: 32)
                if fgets(&line, 32, f) != nil {
                    found = Int(String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                fclose(f)
                if found != nil { break }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        unlink(portFile)
        guard let found else {
            kill(child, SIGKILL); waitpid(child, nil, 0)
            throw ServerDidNotStart()
        }
        port = found
    }

    struct ServerDidNotStart: Error {}

    deinit {
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }
}
