#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// What `acbench worker` checks before it starts (and all that `acbench worker --check` does):
/// the inference server command, the GPUs, the folders it writes, the CURVE keys, and whether the
/// coordinator's port can be reached. Each finding says what is missing and how to fix it.
public struct Preflight: Sendable {
    public struct Finding: Sendable, Equatable {
        public var name: String
        public var ok: Bool
        /// A failed check that makes starting pointless (no GPU, unwritable folder, no key).
        public var blocksStart: Bool
        public var detail: String
    }

    public var config: ClusterConfig
    /// Every GPU id this process (or its children) will pin; empty for CPU slots.
    public var gpus: [Int]
    public var workerNames: [String]
    public var endpoint: String
    /// Unit kinds taken: the server command matters only for eval units.
    public var kinds: [UnitKind]

    public init(config: ClusterConfig, gpus: [Int], workerNames: [String], endpoint: String, kinds: [UnitKind]) {
        self.config = config; self.gpus = gpus; self.workerNames = workerNames; self.endpoint = endpoint; self.kinds = kinds
    }

    public func run() -> [Finding] {
        var out = [serving(), gpuCheck()]
        let shared = config.paths.artifactsShared ? "shared storage" : "local to this host (paths.artifacts_shared = false)"
        out.append(writable("artifacts", config.paths.artifacts, note: shared))
        out.append(writable("journal", config.paths.journal, note: "results not yet acknowledged"))
        out.append(writable("logs", config.paths.logs, note: "worker and server logs"))
        out += curveKeys()
        out.append(coordinator())
        return out
    }

    /// One line per finding, then a summary.
    public static func render(_ findings: [Finding]) -> String {
        var s = ""
        for f in findings { s += "  \(f.ok ? "ok     " : (f.blocksStart ? "MISSING" : "WARNING")) \(f.name): \(f.detail)\n" }
        let bad = findings.filter { !$0.ok }.count
        return s + (bad == 0 ? "all checks passed\n" : "\(bad) check(s) failed\n")
    }

    func serving() -> Finding {
        let s = config.serving
        guard s.engine == "vllm" else { return Finding(name: "serving", ok: true, blocksStart: false, detail: "external server at \(s.url ?? "?")") }
        guard kinds.contains(.eval) else { return Finding(name: "serving", ok: true, blocksStart: false, detail: "not needed (compress units only)") }
        let program = s.command.first ?? "vllm"
        var tried: [String] = []
        if let venv = s.venv { tried.append("\(venv)/bin/\(program)") }
        if program.contains("/") { tried.append(program) } else {
            let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
            tried += path.split(separator: ":").map { "\($0)/\(program)" }
        }
        if let found = tried.first(where: { access($0, X_OK) == 0 }) {
            return Finding(name: "serving", ok: true, blocksStart: false, detail: "\(found)")
        }
        let venvHint = s.venv.map { " (serving.venv = \($0) has no bin/\(program))" } ?? ""
        return Finding(name: "serving", ok: false, blocksStart: false,
                       detail: "`\(program)` not found\(venvHint) nor on PATH: eval units of real suites will fail; "
                               + "run scripts/setup-serving on this host or set serving.venv / serving.command in cluster.conf")
    }

    func gpuCheck() -> Finding {
        guard !gpus.isEmpty else { return Finding(name: "gpus", ok: true, blocksStart: false, detail: "none requested (CPU slots)") }
        let listed = Hardware.gpus()
        guard !listed.isEmpty else {
            return Finding(name: "gpus", ok: false, blocksStart: true,
                           detail: "GPUs \(gpus) requested but nvidia-smi is missing or lists none (install the NVIDIA driver, or use --gpus none / --cpu-slots N)")
        }
        let missing = gpus.filter { id in !listed.contains { $0.index == id } }
        guard missing.isEmpty else {
            return Finding(name: "gpus", ok: false, blocksStart: true,
                           detail: "GPUs \(missing) requested but nvidia-smi lists \(listed.map(\.index)) only")
        }
        let names = Set(listed.filter { gpus.contains($0.index) }.map(\.name)).sorted().joined(separator: ", ")
        return Finding(name: "gpus", ok: true, blocksStart: false, detail: "\(gpus) (\(names))")
    }

    func writable(_ name: String, _ dir: String, note: String) -> Finding {
        let probe = "\(dir)/.acbench-probe-\(getpid())"
        do {
            try Files.makeDirectories(dir)
            try Files.writeAtomic(probe, Array("probe\n".utf8))
            unlink(probe)
            return Finding(name: name, ok: true, blocksStart: false, detail: "\(dir) writable, \(note)")
        } catch {
            return Finding(name: name, ok: false, blocksStart: true, detail: "\(dir) is not writable: \(error)")
        }
    }

    func curveKeys() -> [Finding] {
        guard let c = config.curve else { return [] }
        let dir = c.workerKeysDir ?? ((config.baseDirectory ?? ".") + "/keys")
        return workerNames.map { name in
            let path = "\(dir)/\(name).key_secret"
            let key = Files.readText(path).flatMap { $0.split(separator: "\n").first.map(String.init) }
            if let key, CurveKeyPair.isValidZ85Key(key) {
                let listed = (try? CurveKeyPair.publicKey(forSecret: key)).map { pub in c.workers[name] == pub } ?? false
                return Finding(name: "curve \(name)", ok: listed, blocksStart: false,
                               detail: listed ? path : "\(path) holds a key that [curve.workers] does not list under '\(name)'")
            }
            return Finding(name: "curve \(name)", ok: false, blocksStart: true,
                           detail: "no secret key at \(path) (make it with `acbench keys \(name)` and list its public key in [curve.workers])")
        }
    }

    func coordinator() -> Finding {
        guard let ep = TCPEndpoint(endpoint) else {
            return Finding(name: "coordinator", ok: false, blocksStart: false, detail: "\(endpoint) is not tcp://host:port")
        }
        if let problem = TCPProbe.connect(host: ep.host, port: ep.port, timeoutMs: 2000) {
            return Finding(name: "coordinator", ok: false, blocksStart: false,
                           detail: "\(endpoint) not reachable (\(problem)); is it running, and is TCP port \(ep.port) open in the firewall? The worker keeps retrying")
        }
        return Finding(name: "coordinator", ok: true, blocksStart: false, detail: "\(endpoint) accepts TCP connections")
    }
}
