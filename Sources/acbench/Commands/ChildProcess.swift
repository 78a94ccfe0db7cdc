import FoundationEssentials
import Protocol
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// A child `acbench` process started by `acbench demo` (swift-subprocess), with its output sent to
/// the terminal or appended to a log file.
final class ChildProcess: Sendable {
    let name: String
    let pid: Int32
    private let result: Task<Int32, Never>

    private init(name: String, pid: Int32, result: Task<Int32, Never>) {
        self.name = name; self.pid = pid; self.result = result
    }

    /// Starts this executable with `arguments`; `log` nil means the child writes to our terminal.
    static func start(name: String, arguments: [String], log: String?) async throws -> ChildProcess {
        let executable = try selfExecutable()
        let output: FileDescriptor, error: FileDescriptor
        if let log {
            try Files.makeDirectories(Files.directory(of: log))
            let fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw CLIError("cannot open \(log) for writing") }
            output = FileDescriptor(rawValue: fd)
            error = FileDescriptor(rawValue: dup(fd))
        } else {
            output = .standardOutput
            error = .standardError
        }
        let (pids, sink) = AsyncStream<Int32>.makeStream()
        let result = Task<Int32, Never> {
            do {
                let r = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), input: .none,
                    output: .fileDescriptor(output, closeAfterSpawningProcess: log != nil),
                    error: .fileDescriptor(error, closeAfterSpawningProcess: log != nil)
                ) { execution in
                    sink.yield(execution.processIdentifier.value)
                    sink.finish()
                }
                switch r.terminationStatus {
                case .exited(let c): return c
                case .signaled(let s): return 128 + s
                }
            } catch {
                sink.finish()
                return 127
            }
        }
        var it = pids.makeAsyncIterator()
        guard let pid = await it.next() else { throw CLIError("could not start \(executable) \(arguments.joined(separator: " "))") }
        return ChildProcess(name: name, pid: pid, result: result)
    }

    /// Waits for the child to exit and returns its exit status (128 + N for signal N).
    func wait() async -> Int32 { await result.value }

    func signal(_ s: Int32) { _ = kill(pid, s) }

    /// Path of the running executable (`/proc/self/exe`).
    static func selfExecutable() throws -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { throw CLIError("cannot find the acbench executable (/proc/self/exe)") }
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
