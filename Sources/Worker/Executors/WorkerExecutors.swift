import Logging
import Protocol

/// The executors a production worker registers, in the order they are tried, and the server
/// manager they share (one warm server per worker).
public enum WorkerExecutors {
    public static func standard(config: ClusterConfig, identity: WorkerIdentity,
                                logger: Logger = Logger(label: "acbench.eval")) -> (ExecutorRegistry, ServerManager) {
        EncoderEmbedder.installIfPresent(base: config.baseDirectory ?? Files.absolute("."))
        let kv = Int(config.serving.env["VLLM_CPU_KVCACHE_SPACE"] ?? "") ?? 1
        let servers = ServerManager(settings: config.serving,
                                    options: .init(slot: identity.slot, gpus: identity.gpus,
                                                   stateDirectory: identity.stateDir + "/worker-\(identity.name)",
                                                   cpuKVCacheGiB: kv))
        return (ExecutorRegistry([SyntheticExecutor(), CompressExecutor(), AnalysisExecutor(),
                                  SingleTurnExecutor(servers: servers, logger: logger),
                                  EpisodeExecutor(servers: servers, logger: logger)]), servers)
    }
}
