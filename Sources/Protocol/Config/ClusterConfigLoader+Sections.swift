#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ServingSettings {
    /// Engines `serving.engine` accepts.
    public static let engines: Set<String> = ["vllm", "external"]
    /// Placeholders the worker substitutes in `command` and `args`.
    public static let placeholders: Set<String> = ["model", "port", "served_name", "dtype", "max_model_len", "host"]
}

extension CurveSettings {
    /// The Z85 alphabet (ZeroMQ RFC 32).
    static let z85Alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")

    /// Whether `key` is a 40-character Z85 text key (a 32-byte CURVE key).
    public static func isValidZ85Key(_ key: String) -> Bool {
        key.count == 40 && key.allSatisfy { z85Alphabet.contains($0) }
    }
}

extension ClusterConfigLoader {
    static func serving(_ t: TableReader) throws -> ServingSettings {
        try t.checkKeys(["engine", "command", "args", "env", "venv", "url", "port_base", "port_stride",
                         "startup_timeout_s", "concurrency"])
        var s = ServingSettings()
        if let v = try t.oneOf("engine", ServingSettings.engines) { s.engine = v }
        if let v = try t.stringArray("command") {
            guard !v.isEmpty else { throw t.invalid("command", expected: "a non-empty array of strings", got: "[]") }
            s.command = v
        }
        if let v = try t.stringArray("args") { s.args = v }
        try checkPlaceholders(t, "command", s.command)
        try checkPlaceholders(t, "args", s.args)
        if s.engine == "vllm" {
            let all = (s.command + s.args).joined(separator: " ")
            for needed in ["{model}", "{port}"] where !all.contains(needed) {
                throw t.invalid(t.has("command") ? "command" : "args",
                                expected: "a command that contains \(needed) (the worker substitutes it)",
                                got: "[" + s.command.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
            }
        }
        if let pairs = try t.stringTable("env") {
            s.env = Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) })
        }
        if let v = try nonEmpty(t, "venv") { s.venv = t.doc.resolve(v) }
        if let v = try nonEmpty(t, "url") {
            guard v.hasPrefix("http://") || v.hasPrefix("https://") else {
                throw t.invalid("url", expected: "an http:// or https:// URL", got: "\"\(v)\"")
            }
            s.url = v
        }
        if s.engine == "external" && s.url == nil {
            throw t.missing("url", hint: "engine = \"external\" needs the base URL of the OpenAI-compatible server")
        }
        if let v = try t.int("port_base", 1...65535) { s.portBase = v }
        if let v = try t.int("port_stride", 1...Int.max) { s.portStride = v }
        if let v = try t.double("startup_timeout_s", min: 0, exclusive: true) { s.startupTimeoutSeconds = v }
        if let v = try t.int("concurrency", 1...Int.max) { s.concurrency = v }
        return s
    }

    /// Every `{name}` in `items` must be one of `ServingSettings.placeholders`.
    static func checkPlaceholders(_ t: TableReader, _ key: String, _ items: [String]) throws {
        for (i, item) in items.enumerated() {
            var rest = Substring(item)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[rest.index(after: open)..<close])
                if !ServingSettings.placeholders.contains(name) {
                    let valid = ServingSettings.placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")
                    throw t.doc.error("\(t.keyPath(key))[\(i)]", .invalidValue(expected: "placeholders among \(valid)",
                                                                               got: "\"{\(name)}\" in \"\(item)\""))
                }
                rest = rest[rest.index(after: close)...]
            }
        }
    }

    static func curve(_ t: TableReader) throws -> CurveSettings {
        try t.checkKeys(["server_public", "server_secret_file", "worker_keys_dir", "workers"])
        let serverPublic = try t.required("server_public", hint: "the coordinator's public key; create one with `acbench keys`") {
            try z85(t, $0)
        }
        var s = CurveSettings(serverPublic: serverPublic)
        if let v = try nonEmpty(t, "server_secret_file") {
            let file = t.doc.resolve(v)
            guard FileManager.default.fileExists(atPath: file) else {
                throw t.invalid("server_secret_file", expected: "an existing file holding the coordinator's secret key "
                                    + "(create it with `acbench keys`)", got: "\"\(v)\", and \(file) does not exist")
            }
            s.serverSecretFile = file
        }
        if let v = try nonEmpty(t, "worker_keys_dir") { s.workerKeysDir = t.doc.resolve(v) }
        if let w = try t.table("workers") {
            var byKey: [String: String] = [:]
            for name in w.table.keys.sorted(by: { (t.doc.map.line(for: w.keyPath($0)) ?? 0) < (t.doc.map.line(for: w.keyPath($1)) ?? 0) }) {
                guard TableReader.isValidName(name) else {
                    throw w.invalid(name, expected: "a worker name made of letters, digits, '.', '_' and '-'", got: "\"\(name)\"")
                }
                guard let key = try z85(w, name) else { continue }
                if let other = byKey[key] {
                    throw w.doc.error(w.keyPath(name), .rejected(reason: "the same public key is already listed for worker '\(other)' "
                        + "(line \(t.doc.map.line(for: w.keyPath(other)).map(String.init) ?? "?")); each worker needs its own keypair"))
                }
                byKey[key] = name
                s.workers[name] = key
            }
        }
        return s
    }

    /// A 40-character Z85 key.
    static func z85(_ t: TableReader, _ key: String) throws -> String? {
        guard let v = try t.string(key) else { return nil }
        guard CurveSettings.isValidZ85Key(v) else {
            let why = v.count != 40 ? "\(v.count) characters" : "characters outside the Z85 alphabet"
            throw t.invalid(key, expected: "a 40-character Z85 public key (as printed by `acbench keys`)", got: "\"\(v)\" (\(why))")
        }
        return v
    }

    static func hosts(_ list: [TableReader], doc: ConfigDocument) throws -> [HostSettings] {
        var named: [(reader: TableReader, name: String)] = []
        var out: [HostSettings] = []
        for t in list {
            try t.checkKeys(["name", "address", "gpus", "cpu_slots", "gpus_per_worker", "kinds"])
            let name = try t.required("name", hint: "each [[hosts]] needs a unique name") { try t.name($0) }
            named.append((t, name))
            var h = HostSettings(name: name, address: try nonEmpty(t, "address") ?? name)
            if let v = try t.intArray("gpus", 0...Int.max) {
                if let dup = Dictionary(grouping: v, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                    throw t.invalid("gpus", expected: "distinct GPU ids", got: "GPU \(dup) listed twice")
                }
                h.gpus = v
            }
            if let v = try t.int("cpu_slots", 1...Int.max) { h.cpuSlots = v }
            if let v = try t.int("gpus_per_worker", 1...Int.max) { h.gpusPerWorker = v }
            if let v = try t.stringArray("kinds") {
                h.kinds = try v.map { k in
                    guard let kind = UnitKind(rawValue: k) else {
                        throw t.invalid("kinds", expected: "unit kinds among \"compress\", \"eval\"", got: "\"\(k)\"")
                    }
                    return kind
                }
                if h.kinds.isEmpty { throw t.invalid("kinds", expected: "at least one unit kind", got: "[]") }
            }
            if let gpus = h.gpus, !gpus.isEmpty, gpus.count % h.gpusPerWorker != 0 {
                throw t.invalid("gpus", expected: "a number of GPUs divisible by gpus_per_worker (\(h.gpusPerWorker))",
                                got: "\(gpus.count) GPUs")
            }
            out.append(h)
        }
        try doc.checkUnique(named, kind: "host")
        return out
    }
}
