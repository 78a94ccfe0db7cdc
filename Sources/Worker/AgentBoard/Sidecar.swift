import Foundation
import Protocol

/// One environment process speaking JSON lines over stdin/stdout (docs/AGENTBOARD.md). It leads
/// its own process group (`setsid`), so stopping it also stops what it started (ScienceWorld's
/// JVM); stderr goes to a log file whose tail explains a crash. Calls are one at a time.
final class Sidecar: Sendable {
    let name: String
    let pid: Int32
    let logFile: String
    private let input: FileHandle
    private let lines = Locked(LineState())

    private struct LineState {
        var buffered: [String] = []
        var waiting: CheckedContinuation<String, any Error>?
        var closed = false
        /// How the process ended, once reaped (`exit status 7`, `signal 9`).
        var ending = ""
    }

    private init(name: String, pid: Int32, logFile: String, input: FileHandle) {
        self.name = name; self.pid = pid; self.logFile = logFile; self.input = input
    }

    /// Starts `python script` in its own session and waits for its `ready` line.
    static func start(name: String, python: String, script: String, logFile: String,
                      startTimeout: Double) async throws -> Sidecar {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = (script as NSString).deletingLastPathComponent
        let child = try SpawnedChild(argv: [python, "-u", "-W", "ignore", script], environment: env, stderrFile: logFile)
        let sidecar = Sidecar(name: name, pid: child.pid, logFile: logFile,
                              input: FileHandle(fileDescriptor: child.stdin, closeOnDealloc: true))
        sidecar.readLines(FileHandle(fileDescriptor: child.stdout, closeOnDealloc: true))
        let ready = try await sidecar.nextReply(op: "start", timeout: startTimeout)
        guard ready.ok else { sidecar.kill(); throw SidecarError.environment(ready.error ?? "the sidecar could not start") }
        return sidecar
    }

    /// Sends one request and waits up to `timeout` seconds for its reply.
    func call(_ request: SidecarRequest, timeout: Double) async throws -> SidecarReply {
        if lines.withLock({ $0.closed }) { throw SidecarError.crashed("it exited\(endingText())\(logTail())") }
        var data = try JSONEncoder().encode(request)
        data.append(0x0A)
        do { try input.write(contentsOf: data) } catch { throw SidecarError.crashed("cannot write to it (\(error))\(logTail())") }
        let reply = try await nextReply(op: request.op, timeout: timeout)
        guard reply.ok else {
            let message = reply.error ?? "no message"
            throw reply.failure == FailureClass.dataMissing.rawValue ? SidecarError.unavailable(message) : SidecarError.environment(message)
        }
        return reply
    }

    /// Asks the sidecar to close, then kills its process group.
    func stop() async {
        if !lines.withLock({ $0.closed }) {
            _ = try? await call(.close, timeout: 5)
        }
        kill()
    }

    /// SIGKILL to the sidecar's process group.
    func kill() { Foundation.kill(-pid, SIGKILL) }

    /// The next line from stdout, decoded; kills the sidecar when none comes within `timeout`.
    private func nextReply(op: String, timeout: Double) async throws -> SidecarReply {
        let timer = Task { [weak self] in
            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            self?.expire(SidecarError.timedOut(op: op, seconds: timeout))
        }
        defer { timer.cancel() }
        // A cancelled unit (another lane failed, the lease is gone) must not wait for the reply.
        let line: String = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { c in
                lines.withLock { s in
                    if !s.buffered.isEmpty { c.resume(returning: s.buffered.removeFirst()) }
                    else if s.closed { c.resume(throwing: SidecarError.crashed("it exited\(s.ending.isEmpty ? "" : " (\(s.ending))")\(logTail())")) }
                    else if Task.isCancelled { c.resume(throwing: CancellationError()) }
                    else { s.waiting = c }
                }
            }
        } onCancel: { [weak self] in self?.expire(CancellationError()) }
        do { return try JSONDecoder().decode(SidecarReply.self, from: Data(line.utf8)) } catch {
            throw SidecarError.malformed(String(line.prefix(200)))
        }
    }

    /// Fails the waiting call and kills the process (a hang, or the unit was cancelled).
    private func expire(_ error: any Error) {
        let waiting = lines.withLock { s in defer { s.waiting = nil }; return s.waiting }
        guard let waiting else { return }
        kill()
        waiting.resume(throwing: error)
    }

    /// Reads stdout on its own thread; delivers each line, and the end of the stream.
    private func readLines(_ handle: FileHandle) {
        startOSThread(name: "sidecar-\(name)") { [lines, logFile, pid] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...nl)
                    lines.withLock { s in
                        if let w = s.waiting { s.waiting = nil; w.resume(returning: line) } else { s.buffered.append(line) }
                    }
                }
            }
            let status = SpawnedChild.reap(pid)
            let waiting = lines.withLock { s in s.closed = true; s.ending = status; defer { s.waiting = nil }; return s.waiting }
            waiting?.resume(throwing: SidecarError.crashed("it exited (\(status))\(Sidecar.tail(of: logFile))"))
        }
    }

    private func logTail() -> String { Sidecar.tail(of: logFile) }

    /// ` (exit status N)` once the process has been reaped, else nothing.
    private func endingText() -> String {
        let e = lines.withLock { $0.ending }
        return e.isEmpty ? "" : " (\(e))"
    }

    /// The last lines of the sidecar's stderr log, for failure messages.
    static func tail(of logFile: String) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        let last = text.split(separator: "\n").suffix(8).joined(separator: "\n")
        return last.isEmpty ? "" : "; log \(logFile):\n\(last)"
    }
}
