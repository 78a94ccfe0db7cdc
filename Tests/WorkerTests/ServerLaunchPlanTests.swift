import Protocol
import Testing
@testable import Worker

extension ServerManagerTests {
    @Test("launch plan: placeholders, venv on PATH, pinned and CPU environment")
    func launchPlan() {
        var settings = ServingSettings(args: ["--enforce-eager"], env: ["VLLM_CPU_KVCACHE_SPACE": "4", "EXTRA": "1"], venv: "/opt/v")
        settings.env["CUDA_VISIBLE_DEVICES"] = "7"  // the worker's pinning wins over configuration
        let cpu = LaunchPlan.make(settings: settings, spec: ServerSpec(model: "/m", servedName: "n", dtype: nil, maxModelLen: 512),
                                  port: 18000, gpus: [], internalPortBase: 18005, runDirectory: "/r", tag: "t",
                                  inheritedPath: "/usr/bin", cpuKVCacheGiB: 1)
        #expect(cpu.command == ["vllm", "serve", "/m", "--port", "18000", "--served-model-name", "n", "--max-model-len", "512",
                                "--enforce-eager", "--host", "127.0.0.1"])
        #expect(cpu.environment["PATH"] == "/opt/v/bin:/usr/bin")
        #expect(cpu.environment["CUDA_VISIBLE_DEVICES"] == "")
        #expect(cpu.environment["VLLM_CPU_KVCACHE_SPACE"] == "4")
        #expect(cpu.environment["VLLM_PORT"] == "18005")
        #expect(cpu.environment["HF_HUB_OFFLINE"] == "1" && cpu.environment["VLLM_NO_USAGE_STATS"] == "1")
        #expect(cpu.environment["VLLM_CACHE_ROOT"] == "/r/cache" && cpu.environment["VLLM_RPC_BASE_PATH"] == "/r/rpc")
        #expect(cpu.environment["EXTRA"] == "1" && cpu.environment[LaunchPlan.tagVariable] == "t")

        let gpu = LaunchPlan.make(settings: ServingSettings(args: ["--host", "0.0.0.0"]),
                                  spec: ServerSpec(model: "m", servedName: "n", dtype: "bfloat16", maxModelLen: nil),
                                  port: 18010, gpus: [2, 3], internalPortBase: 18015, runDirectory: "/r", tag: "t",
                                  inheritedPath: nil, cpuKVCacheGiB: 1)
        #expect(gpu.command == ["vllm", "serve", "m", "--port", "18010", "--served-model-name", "n", "--dtype", "bfloat16",
                                "--host", "0.0.0.0"])
        #expect(gpu.environment["CUDA_VISIBLE_DEVICES"] == "2,3")
        #expect(gpu.environment["VLLM_CPU_KVCACHE_SPACE"] == nil)
        #expect(gpu.environment["PATH"] == nil)
    }

    @Test("port blocks are disjoint per slot")
    func portBlocks() {
        let slot2 = PortBlock(base: 18000, stride: 10, slot: 2)
        #expect(slot2.httpCandidates == [18020, 18021, 18022, 18023, 18024])
        #expect(slot2.internalBase == 18025)
    }

    @Test("vLLM's real failure messages are classified", arguments: [
        ("ValueError: Available memory on node 0 (17.75/19.71 GiB) on startup is less than desired CPU memory utilization (0.92, 18.14 GiB)",
         ServerStartFailure.Kind.outOfMemory),
        ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", .outOfMemory),
        ("ValueError: Free memory on device (3.1/79.2 GiB) on startup is less than desired GPU memory utilization (0.9, 71.3 GiB)", .outOfMemory),
        ("ERROR: [Errno 98] error while attempting to bind on address ('127.0.0.1', 18000): address already in use", .portInUse),
        ("huggingface_hub.errors.LocalEntryNotFoundError: Cannot find an appropriate cached snapshot folder", .badModel),
        ("Value error, Unrecognized model in /tmp/badcfg. Should have a `model_type` key in its config.json.", .badModel),
        ("RuntimeError: Unsupported CPU attention configuration: head_dim=16 isa=2 kv_cache_idx=0", .badModel),
    ])
    func classifier(line: String, kind: ServerStartFailure.Kind) {
        #expect(StartupLogClassifier.classify("INFO starting\n" + line + "\nINFO bye") == kind)
    }

    @Test("an unremarkable log is not classified")
    func classifierNone() {
        #expect(StartupLogClassifier.classify("INFO: Application startup complete.\nKeyboardInterrupt") == nil)
    }
}
