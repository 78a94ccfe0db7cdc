import FoundationEssentials
import Protocol

/// The exact command and environment of one server launch, built from `ServingSettings`.
struct LaunchPlan: Sendable, Equatable {
    /// The engine command after placeholder substitution (without the guard wrapper).
    var command: [String]
    /// Variables set on top of the worker's own environment.
    var environment: [String: String]

    /// Builds the plan for `spec` on `port`.
    /// - Parameters:
    ///   - gpus: the worker's GPUs; empty on a CPU slot (then `CUDA_VISIBLE_DEVICES` is "" and the
    ///     CPU variables of serving.md §4 are set).
    ///   - internalPortBase: `VLLM_PORT`, the first of the engine's internal ports.
    ///   - runDirectory: per-slot folder for the compile cache and IPC sockets.
    ///   - tag: a token put into the environment so that cleanup can recognise the server's processes.
    static func make(settings: ServingSettings, spec: ServerSpec, port: Int, gpus: [Int], internalPortBase: Int,
                     runDirectory: String, tag: String, inheritedPath: String?, cpuKVCacheGiB: Int) -> LaunchPlan {
        let values: [String: String?] = [
            "{model}": spec.model, "{port}": String(port), "{served_name}": spec.servedName,
            "{dtype}": spec.dtype, "{max_model_len}": spec.maxModelLen.map(String.init),
        ]
        var command = substitute(settings.command, values) + substitute(settings.args, values) + spec.extraArgs
        if !command.contains(where: { $0 == "--host" || $0.hasPrefix("--host=") }) {
            command += ["--host", "127.0.0.1"]
        }

        var env: [String: String] = [
            "HF_HUB_OFFLINE": "1",
            "VLLM_NO_USAGE_STATS": "1",
            "VLLM_CACHE_ROOT": runDirectory + "/cache",
            "VLLM_RPC_BASE_PATH": runDirectory + "/rpc",
        ]
        if gpus.isEmpty { env["VLLM_CPU_KVCACHE_SPACE"] = String(max(1, cpuKVCacheGiB)) }
        env.merge(settings.env) { _, configured in configured }
        if let venv = settings.venv {
            env["VIRTUAL_ENV"] = venv
            env["PATH"] = venv + "/bin" + (inheritedPath.map { ":" + $0 } ?? "")
        }
        // Pinned by the worker; configuration cannot move them.
        env["CUDA_VISIBLE_DEVICES"] = gpus.map(String.init).joined(separator: ",")
        env["VLLM_PORT"] = String(internalPortBase)
        env[LaunchPlan.tagVariable] = tag
        return LaunchPlan(command: command, environment: env)
    }

    /// Environment variable whose value identifies one launch (checked by stale cleanup).
    static let tagVariable = "ACBENCH_SERVER_TAG"

    /// Replaces placeholders. An argument that is exactly a placeholder with a `nil` value is
    /// dropped together with a preceding `--option`, so `--dtype {dtype}` disappears when unset.
    static func substitute(_ args: [String], _ values: [String: String?]) -> [String] {
        var out: [String] = []
        for arg in args {
            if let value = values[arg], value == nil {
                if let last = out.last, last.hasPrefix("-") { out.removeLast() }
                continue
            }
            var s = arg
            for (key, value) in values { if let value, s.contains(key) { s = s.replacing(key, with: value) } }
            out.append(s)
        }
        return out
    }
}
