import Protocol

/// Why a server did not become ready. Thrown by `ServerManager.ensureRunning`.
public struct ServerStartFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The engine ran out of (GPU or CPU) memory; a retry must change the configuration.
        case outOfMemory = "out_of_memory"
        /// The HTTP port (or an internal one) was taken; the manager already tried further ports.
        case portInUse = "port_in_use"
        /// The model folder is missing, malformed or not servable (bad path, bad config, bad shape).
        case badModel = "bad_model"
        /// The readiness checks did not pass before the start-up deadline.
        case startupTimeout = "startup_timeout"
        /// The process exited, or a readiness check (served name, deep check) failed, for a reason none of the above explains.
        case serverFailed = "server_failed"
        /// The command could not be launched at all (missing executable, unwritable log file).
        case launchFailed = "launch_failed"
    }

    public var kind: Kind
    /// One sentence for people.
    public var message: String
    /// The last lines of the server log (up to ~40 lines / 8 KB).
    public var logExcerpt: String
    /// Path of the full log.
    public var logFile: String
    /// Exit code, or 128 + signal, when the process had exited.
    public var exitCode: Int32?

    public init(kind: Kind, message: String, logExcerpt: String = "", logFile: String = "", exitCode: Int32? = nil) {
        self.kind = kind; self.message = message; self.logExcerpt = logExcerpt; self.logFile = logFile; self.exitCode = exitCode
    }

    /// The retry class the coordinator applies.
    public var failureClass: FailureClass {
        switch kind {
        case .outOfMemory: .outOfMemory
        case .badModel: .badModel
        case .startupTimeout: .timeout
        case .portInUse, .serverFailed, .launchFailed: .serverStart
        }
    }

    public var description: String {
        var s = "server failed to start (\(kind.rawValue)): \(message)"
        if let exitCode { s += " [exit \(exitCode)]" }
        if !logFile.isEmpty { s += "\nlog: \(logFile)" }
        if !logExcerpt.isEmpty { s += "\n--- log tail ---\n\(logExcerpt)" }
        return s
    }
}

/// Reads the cause of a failed start from the server's log text (serving.md §10, cluster.md §12).
enum StartupLogClassifier {
    /// Strings that mean memory ran out (GPU and CPU builds of vLLM, torch, the kernel).
    static let outOfMemory = [
        "CUDA out of memory", "OutOfMemoryError", "out of memory",
        "less than desired GPU memory utilization", "less than desired CPU memory utilization",
        "Free memory on device", "Available memory on node",
        "No available memory for the cache blocks", "larger than the available KV cache memory",
        "Cannot allocate memory", "MemoryError",
    ]
    static let portInUse = ["Address already in use", "address already in use", "EADDRINUSE", "[Errno 98]"]
    static let badModel = [
        "Unsupported CPU attention configuration", "validation error for ModelConfig", "Unrecognized model in",
        "does not appear to have a file named", "Can't load the configuration of",
        "Invalid repository ID or local directory", "HFValidationError", "Repo id must",
        "LocalEntryNotFoundError", "is not a local folder and is not a valid model identifier",
        "are not supported for now", "SafetensorError", "Error while deserializing",
        "No model weights found", "Cannot find any model weights", "incomplete metadata",
    ]

    /// The first matching class, in order: memory, port, model. `nil` when none matches.
    static func classify(_ log: String) -> ServerStartFailure.Kind? {
        if outOfMemory.contains(where: log.contains) { return .outOfMemory }
        if portInUse.contains(where: log.contains) { return .portInUse }
        if badModel.contains(where: log.contains) { return .badModel }
        return nil
    }
}
