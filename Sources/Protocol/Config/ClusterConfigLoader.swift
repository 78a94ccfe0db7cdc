#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Loads `cluster.conf` (see docs/CONFIG.md). Every key is optional and takes the default of
/// `ClusterConfig`, except where noted; unknown keys, wrong types and bad values are `ConfigError`s.
/// Relative paths in `[paths]`, `serving.venv` and `[curve]` are made absolute against the file's folder.
public enum ClusterConfigLoader {
    /// Reads, validates and resolves the cluster file at `path`. Throws `ConfigError`.
    public static func load(path: String) throws -> ClusterConfig {
        let doc = try ConfigDocument.open(path: path)
        let root = doc.rootReader
        try root.checkKeys(["coordinator", "heartbeat", "lease", "retry", "paths", "serving", "curve", "agentboard", "hosts"])
        var config = ClusterConfig(sourcePath: path, baseDirectory: doc.baseDirectory)
        if let t = try root.table("coordinator") { config.coordinator = try coordinator(t) }
        if let t = try root.table("heartbeat") { config.heartbeat = try heartbeat(t) }
        if let t = try root.table("lease") { config.lease = try lease(t) }
        if let t = try root.table("retry") { config.retry = try retry(t) }
        config.paths = try paths(root.table("paths"), doc: doc)
        if let t = try root.table("serving") { config.serving = try serving(t) }
        else { config.serving.venv = config.serving.venv.map(doc.resolve) }
        if let t = try root.table("curve") { config.curve = try curve(t) }
        config.agentboard = try agentboard(root.table("agentboard"), doc: doc)
        if let list = try root.tables("hosts") { config.hosts = try hosts(list, doc: doc) }
        do {
            try config.validateBind()
        } catch var e as ConfigError {
            e.line = doc.map.line(for: e.keyPath)
            throw e
        }
        return config
    }

    static func coordinator(_ t: TableReader) throws -> CoordinatorSettings {
        try t.checkKeys(["bind", "connect", "allow_plaintext", "commit_batch", "commit_interval_ms", "max_message_bytes",
                         "status_port"])
        var s = CoordinatorSettings()
        if let v = try endpoint(t, "bind") { s.bind = v }
        if let v = try endpoint(t, "connect") {
            if TCPEndpoint(v)?.isWildcard == true {
                throw t.invalid("connect", expected: "a host workers can reach (not a wildcard like * or 0.0.0.0)", got: "\"\(v)\"")
            }
            s.connect = v
        }
        if let v = try t.bool("allow_plaintext") { s.allowPlaintext = v }
        if let v = try t.int("commit_batch", 1...Int.max) { s.commitBatch = v }
        if let v = try t.int("commit_interval_ms", 0...Int.max) { s.commitIntervalMs = v }
        if let v = try t.int("max_message_bytes", 1024...Int(Int32.max)) { s.maxMessageBytes = v }
        if let v = try t.int("status_port", 0...65535) { s.statusPort = v }
        return s
    }

    /// A string that parses as `tcp://host:port`.
    static func endpoint(_ t: TableReader, _ key: String) throws -> String? {
        guard let v = try t.string(key) else { return nil }
        guard TCPEndpoint(v) != nil else {
            throw t.invalid(key, expected: "an endpoint of the form tcp://host:port (port 1-65535), e.g. tcp://127.0.0.1:5555",
                            got: "\"\(v)\"")
        }
        return v
    }

    static func heartbeat(_ t: TableReader) throws -> HeartbeatSettings {
        try t.checkKeys(["interval_ms", "liveness", "reconnect_initial_ms", "reconnect_max_ms"])
        var s = HeartbeatSettings()
        if let v = try t.int("interval_ms", 1...Int.max) { s.intervalMs = v }
        if let v = try t.int("liveness", 1...Int.max) { s.liveness = v }
        if let v = try t.int("reconnect_initial_ms", 1...Int.max) { s.reconnectInitialMs = v }
        if let v = try t.int("reconnect_max_ms", 1...Int.max) { s.reconnectMaxMs = v }
        if s.reconnectMaxMs < s.reconnectInitialMs {
            let key = t.has("reconnect_max_ms") ? "reconnect_max_ms" : "reconnect_initial_ms"
            throw t.invalid(key, expected: "reconnect_max_ms >= reconnect_initial_ms",
                            got: "reconnect_initial_ms = \(s.reconnectInitialMs), reconnect_max_ms = \(s.reconnectMaxMs)")
        }
        return s
    }

    static func lease(_ t: TableReader) throws -> LeaseSettings {
        try t.checkKeys(["eval_ttl_s", "compress_ttl_s"])
        var s = LeaseSettings()
        if let v = try t.double("eval_ttl_s", min: 0, exclusive: true) { s.evalTTLSeconds = v }
        if let v = try t.double("compress_ttl_s", min: 0, exclusive: true) { s.compressTTLSeconds = v }
        return s
    }

    static func retry(_ t: TableReader) throws -> RetrySettings {
        try t.checkKeys(["backoff_initial_s", "backoff_max_s", "budgets"])
        var s = RetrySettings()
        if let v = try t.double("backoff_initial_s", min: 0) { s.backoffInitialSeconds = v }
        if let v = try t.double("backoff_max_s", min: 0) { s.backoffMaxSeconds = v }
        if s.backoffMaxSeconds < s.backoffInitialSeconds {
            let key = t.has("backoff_max_s") ? "backoff_max_s" : "backoff_initial_s"
            throw t.invalid(key, expected: "backoff_max_s >= backoff_initial_s",
                            got: "backoff_initial_s = \(TableReader.format(s.backoffInitialSeconds)), "
                                + "backoff_max_s = \(TableReader.format(s.backoffMaxSeconds))")
        }
        if let b = try t.table("budgets") {
            try b.checkKeys(FailureClass.allCases.map(\.rawValue))
            for c in FailureClass.allCases {
                if let v = try b.int(c.rawValue, 0...Int.max) { s.budgets[c] = v }
            }
        }
        return s
    }

    static func paths(_ t: TableReader?, doc: ConfigDocument) throws -> PathSettings {
        var s = PathSettings()
        if let t {
            try t.checkKeys(["state", "artifacts", "cache", "journal", "logs", "artifacts_shared"])
            if let v = try nonEmpty(t, "state") { s.state = v }
            if let v = try nonEmpty(t, "artifacts") { s.artifacts = v }
            if let v = try nonEmpty(t, "cache") { s.cache = v }
            if let v = try nonEmpty(t, "journal") { s.journal = v }
            if let v = try nonEmpty(t, "logs") { s.logs = v }
            if let v = try t.bool("artifacts_shared") { s.artifactsShared = v }
        }
        s.state = doc.resolve(s.state); s.artifacts = doc.resolve(s.artifacts); s.cache = doc.resolve(s.cache)
        s.journal = doc.resolve(s.journal); s.logs = doc.resolve(s.logs)
        return s
    }

    /// A string that is not empty (paths, names, URLs).
    static func nonEmpty(_ t: TableReader, _ key: String) throws -> String? {
        guard let v = try t.string(key) else { return nil }
        guard !v.allSatisfy(\.isWhitespace) else { throw t.invalid(key, expected: "a non-empty string", got: "\"\(v)\"") }
        return v
    }
}
