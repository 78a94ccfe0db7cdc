import Foundation
import Testing
@testable import Protocol

/// A fresh temporary folder per test, holding the TOML files a test writes.
private struct Scratch {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("acbench-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ text: String, to name: String = "test.toml") throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The repository root (three levels above this file).
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Runs `body` and returns the `ConfigError` it throws (recording an issue when it throws nothing).
private func configError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
    do {
        try body()
        Issue.record("expected a ConfigError, got success", sourceLocation: sourceLocation)
    } catch let e as ConfigError {
        return e
    } catch {
        Issue.record("expected a ConfigError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

private func sweepError(_ text: String) throws -> (error: ConfigError?, path: String) {
    let path = try Scratch().write(text, to: "sweep.toml")
    return (configError { _ = try SweepLoader.load(path: path) }, path)
}

private func clusterError(_ text: String) throws -> (error: ConfigError?, path: String) {
    let path = try Scratch().write(text, to: "cluster.conf")
    return (configError { _ = try ClusterConfigLoader.load(path: path) }, path)
}

/// A valid sweep with one of each; tests append or replace parts of it.
private let minimalSweep = """
[sweep]
name = "t"

[[models]]
name = "m"
path = "models/m"
params_b = 0.1

[[methods]]
name = "none"
algorithm = "none"

[[tasks]]
name = "needle"
suite = "needle"

"""

@Suite("Config") struct ConfigTests {
    // MARK: The real files

    @Test func realClusterConfLoads() throws {
        let c = try ClusterConfigLoader.load(path: repoRoot + "/cluster.conf")
        #expect(c.coordinator.bind == "tcp://127.0.0.1:5555")
        #expect(c.coordinator.connectEndpoint == "tcp://127.0.0.1:5555")
        #expect(c.paths.state == repoRoot + "/state/acbench.sqlite")
        #expect(c.paths.artifacts == repoRoot + "/artifacts")
        #expect(c.serving.venv == repoRoot + "/.venv-vllm")
        #expect(c.serving.engine == "vllm")
        #expect(c.serving.command.contains("{model}"))
        #expect(c.curve == nil)
        #expect(c.retry.budget(for: .lostWorker) == 5)
        #expect(c.baseDirectory == repoRoot)
    }

    @Test func realAcbenchSweepLoads() throws {
        let s = try SweepLoader.load(path: repoRoot + "/sweeps/acbench.toml")
        #expect(s.name == "acbench")
        #expect(s.models.count == 16)
        #expect(s.methods.map(\.name) == ["none", "gptq-w4g128", "awq-w4g128", "wanda-50", "wanda-2of4",
                                          "sparsegpt-50", "sparsegpt-2of4"])
        #expect(s.tasks.count == 12)
        #expect(s.models.first { $0.name == "qwen2.5-32b" }?.tensorParallel == 2)
        let gptq = try #require(s.methods.first { $0.algorithm == "gptq" })
        #expect(gptq.params["bits"] == .int(4))
        #expect(gptq.params["damp"] == .double(0.01))
        #expect(gptq.params["act_order"] == .bool(false))
        #expect(gptq.calibration == "data/calibration/c4-128x2048.jsonl")
        let longbench = try #require(s.tasks.first { $0.name == "longbench" })
        #expect(longbench.shards == 8)
        #expect(s.generation(for: longbench).maxModelLen == 32768)
        #expect(s.generation(for: longbench).dtype == s.generation.dtype)
        #expect(s.tasks.filter { $0.suite == "agentboard" }.count == 7)
        #expect(s.tasks.allSatisfy { $0.suite != "agentboard" || $0.subset != nil })
    }

    @Test func realDemoSweepLoads() throws {
        let s = try SweepLoader.load(path: repoRoot + "/sweeps/demo.toml")
        #expect(s.models == [ModelSpec(name: "smollm2-135m", path: "models/SmolLM2-135M-Instruct", paramsB: 0.135)])
        #expect(s.methods.map(\.algorithm) == ["none", "gptq", "magnitude"])
        #expect(s.methods[1].dtype == "float16" && s.methods[1].calibration == MethodSpec.generatedCalibration)
        #expect(s.methods[1].params["group_size"] == .int(64))
        #expect(s.tasks.map(\.suite) == ["needle", "longbench", "longgenbench", "teval", "worfbench", "agentboard"])
        #expect(s.analysis == AnalysisSpec(sequences: 2, positions: 16, seed: 0))
        #expect(s.tasks[0].params["context_lengths"] == .string("256,512,1024"))
        #expect(s.tasks[0].params["depths"] == .string("0,50,100"))
        #expect(s.generation.dtype == "float32")
        #expect(s.generation.maxModelLen == 2048)
        #expect(s.generation.maxTokens == 32)
    }

    // MARK: Error classes

    @Test func fileNotFound() {
        let e = configError { _ = try SweepLoader.load(path: "/nonexistent/sweeps/x.toml") }
        #expect(e?.kind == .fileNotFound)
        #expect(e?.description == "/nonexistent/sweeps/x.toml: file not found")
    }

    @Test func unreadableFolder() throws {
        let dir = try Scratch().dir
        let e = configError { _ = try ClusterConfigLoader.load(path: dir) }
        #expect(e?.description.contains("a folder") == true)
    }

    @Test func syntaxErrorHasLineAndColumn() throws {
        let (e, path) = try sweepError("[sweep]\nname = \"x\"\n\n[[models]\nname = 1\n")
        #expect(e?.line == 4)
        if case .syntax(let column, _)? = e?.kind { #expect(column > 0) } else { Issue.record("not a syntax error: \(String(describing: e))") }
        #expect(e?.description.hasPrefix("\(path):4:") == true)
        #expect(e?.description.contains("TOML syntax error") == true)
    }

    @Test func unknownKeyListsAllowedKeys() throws {
        let (e, path) = try clusterError("# comment\n[coordinator]\nbnd = \"tcp://127.0.0.1:5555\"\n")
        #expect(e?.line == 3)
        #expect(e?.keyPath == "coordinator.bnd")
        #expect(e?.description == "\(path):3: unknown key 'coordinator.bnd'; allowed keys in [coordinator]: allow_plaintext, "
            + "bind, commit_batch, commit_interval_ms, connect, max_message_bytes, status_port (did you mean 'bind'?)")
    }

    @Test func statusPortIsOptionalAndRangeChecked() throws {
        let path = try Scratch().write("[coordinator]\nstatus_port = 9464\n", to: "cluster.conf")
        #expect(try ClusterConfigLoader.load(path: path).coordinator.statusPort == 9464)
        let none = try Scratch().write("[coordinator]\n", to: "cluster.conf")
        #expect(try ClusterConfigLoader.load(path: none).coordinator.statusPort == nil)
        let (e, _) = try clusterError("[coordinator]\nstatus_port = 70000\n")
        #expect(e?.keyPath == "coordinator.status_port")
    }

    @Test func unknownKeyInArrayOfTables() throws {
        let (e, _) = try sweepError(minimalSweep + "[[models]]\nname = \"m2\"\npath = \"p\"\nparam_b = 7\n")
        #expect(e?.keyPath == "models[1].param_b")
        #expect(e?.line == 19)
        #expect(e?.description.contains("did you mean 'params_b'") == true)
    }

    @Test func unknownTopLevelTable() throws {
        let (e, path) = try sweepError(minimalSweep + "[model]\nname = \"x\"\n")
        #expect(e?.description.hasPrefix("\(path):16: unknown key 'model'; allowed keys at the top level:") == true)
    }

    @Test func wrongTypeNamesFileLineAndKey() throws {
        var text = minimalSweep
        for i in 1...3 { text += "[[models]]\nname = \"m\(i)\"\npath = \"p\"\nparams_b = \(i)\n\n" }
        text = text.replacingOccurrences(of: "params_b = 3", with: "params_b = \"seven\"")
        let (e, path) = try sweepError(text)
        #expect(e?.description == "\(path):29: key 'models[3].params_b': expected a number, got string \"seven\"")
    }

    @Test func wrongTypeInArrayElement() throws {
        let (e, path) = try clusterError("[serving]\ncommand = [\"vllm\",\n  \"serve\", 3]\n")
        #expect(e?.keyPath == "serving.command[2]")
        #expect(e?.description == "\(path):2: key 'serving.command[2]': expected a string, got integer 3")
    }

    @Test func wrongTypeIntegerForNumber() throws {
        let (e, _) = try clusterError("[coordinator]\ncommit_batch = 5.5\n")
        #expect(e?.description.hasSuffix("key 'coordinator.commit_batch': expected an integer, got number 5.5") == true)
    }

    @Test func missingRequiredKeyPointsAtTable() throws {
        let (e, path) = try sweepError(minimalSweep + "[[models]]\nname = \"m2\"\nparams_b = 7\n")
        #expect(e?.description == "\(path):16: key 'models[1].path' is required but missing "
            + "(a local checkpoint folder or a hub id such as \"Qwen/Qwen2.5-7B-Instruct\")")
    }

    @Test func missingSweepTableAndLists() throws {
        let (e1, _) = try sweepError("[[models]]\nname = \"m\"\npath = \"p\"\nparams_b = 1\n")
        #expect(e1?.keyPath == "sweep.name")
        let (e2, _) = try sweepError("[sweep]\nname = \"x\"\n")
        #expect(e2?.keyPath == "models")
        #expect(e2?.description.contains("at least one [[models]]") == true)
    }

    @Test func invalidAlgorithmListsValidOnes() throws {
        let (e, path) = try sweepError(minimalSweep + "[[methods]]\nname = \"q\"\nalgorithm = \"gtpq\"\n")
        #expect(e?.description == "\(path):18: key 'methods[1].algorithm': expected one of \"awq\", \"gptq\", \"magnitude\", "
            + "\"none\", \"rtn\", \"sparsegpt\", \"synthetic\", \"wanda\", got \"gtpq\"")
    }

    @Test func invalidSuiteShardsAndLimit() throws {
        let suite = try sweepError(minimalSweep + "[[tasks]]\nname = \"x\"\nsuite = \"mmlu\"\n").error
        #expect(suite?.keyPath == "tasks[1].suite")
        #expect(suite?.description.contains("\"worfbench\"") == true)
        let shards = try sweepError(minimalSweep + "shards = 0\n").error
        #expect(shards?.line == 16)
        #expect(shards?.description.hasSuffix("key 'tasks[0].shards': expected an integer >= 1, got 0") == true)
        let limit = try sweepError(minimalSweep + "limit = -5\n").error
        #expect(limit?.description.hasSuffix("expected an integer >= 1, got -5") == true)
    }

    @Test func negativeNumbers() throws {
        let (e, _) = try clusterError("[lease]\neval_ttl_s = -1\n")
        #expect(e?.description.hasSuffix("key 'lease.eval_ttl_s': expected a finite number > 0, got -1") == true)
        let (e2, _) = try sweepError(minimalSweep.replacingOccurrences(of: "params_b = 0.1", with: "params_b = -7"))
        #expect(e2?.line == 7)
    }

    @Test func badBindAddress() throws {
        let (e, path) = try clusterError("[coordinator]\nbind = \"127.0.0.1:5555\"\n")
        #expect(e?.description == "\(path):2: key 'coordinator.bind': expected an endpoint of the form tcp://host:port "
            + "(port 1-65535), e.g. tcp://127.0.0.1:5555, got \"127.0.0.1:5555\"")
        #expect(try clusterError("[coordinator]\nbind = \"tcp://*:99999\"\n").error?.keyPath == "coordinator.bind")
    }

    @Test func invalidNames() throws {
        let (e, _) = try sweepError(minimalSweep.replacingOccurrences(of: "name = \"m\"", with: "name = \"my model\""))
        #expect(e?.keyPath == "models[0].name")
        #expect(e?.description.contains("letters, digits") == true)
    }

    @Test func duplicateNamesNameBothLines() throws {
        let (e, path) = try sweepError(minimalSweep + "[[tasks]]\nname = \"needle\"\nsuite = \"needle\"\n")
        #expect(e?.description == "\(path):17: key 'tasks[1].name': duplicate task name \"needle\" (first defined at line 14); "
            + "names must be unique")
        let hosts = "[[hosts]]\nname = \"a\"\n\n[[hosts]]\nname = \"a\"\n"
        let (h, _) = try clusterError(hosts)
        #expect(h?.kind == .duplicateName(kind: "host", name: "a", firstLine: 2))
        #expect(h?.line == 5)
    }

    @Test func paramsRejectArraysWithHint() throws {
        let (e, _) = try sweepError(minimalSweep + "[tasks.params]\ncontext_lengths = [256, 512]\n")
        #expect(e?.keyPath == "tasks[0].params.context_lengths")
        #expect(e?.line == 17)
        #expect(e?.description.contains("comma-separated") == true)
    }

    @Test func calibratingMethodNeedsCalibration() throws {
        let (e, _) = try sweepError(minimalSweep + "[[methods]]\nname = \"g\"\nalgorithm = \"gptq\"\n")
        #expect(e?.keyPath == "methods[1].calibration")
        #expect(e?.description.contains("needs calibration data") == true)
    }

    @Test func agentboardNeedsSubset() throws {
        let (e, _) = try sweepError(minimalSweep + "[[tasks]]\nname = \"ab\"\nsuite = \"agentboard\"\n")
        #expect(e?.keyPath == "tasks[1].subset")
    }

    // MARK: Cluster specifics

    @Test func defaultsApply() throws {
        let s = try Scratch()
        let c = try ClusterConfigLoader.load(path: try s.write("", to: "cluster.conf"))
        var expected = ClusterConfig(sourcePath: s.dir + "/cluster.conf", baseDirectory: s.dir)
        expected.paths = PathSettings(state: s.dir + "/state/acbench.sqlite", artifacts: s.dir + "/artifacts",
                                      cache: s.dir + "/cache", journal: s.dir + "/state/journal", logs: s.dir + "/logs")
        #expect(c == expected)
        #expect(c.heartbeat == HeartbeatSettings())
        #expect(c.retry == RetrySettings())
    }

    @Test func relativePathsResolveAgainstConfigFolder() throws {
        let s = try Scratch()
        let path = try s.write("[paths]\nstate = \"../db/x.sqlite\"\nartifacts = \"/abs/art\"\ncache = \"./c\"\n"
                               + "[serving]\nvenv = \"venvs/vllm\"\n", to: "conf/cluster.conf")
        let c = try ClusterConfigLoader.load(path: path)
        #expect(c.paths.state == s.dir + "/db/x.sqlite")
        #expect(c.paths.artifacts == "/abs/art")
        #expect(c.paths.cache == s.dir + "/conf/c")
        #expect(c.paths.logs == s.dir + "/conf/logs")
        #expect(c.serving.venv == s.dir + "/conf/venvs/vllm")
    }

    @Test func nonLoopbackBindNeedsCurveOrOptIn() throws {
        let (e, path) = try clusterError("[coordinator]\n\nbind = \"tcp://0.0.0.0:5555\"\n")
        #expect(e?.line == 3)
        #expect(e?.description.hasPrefix("\(path):3: key 'coordinator.bind': \"tcp://0.0.0.0:5555\" is not a loopback address") == true)
        #expect(e?.description.contains("allow_plaintext = true") == true)
        #expect(e?.description.contains("acbench keys") == true)

        let s = try Scratch()
        let ok = try ClusterConfigLoader.load(path: s.write("[coordinator]\nbind = \"tcp://*:5555\"\nallow_plaintext = true\n"))
        #expect(ok.coordinator.connectEndpoint == "tcp://127.0.0.1:5555")
        #expect(ClusterConfig(coordinator: CoordinatorSettings(bind: "tcp://[::1]:5555")).coordinator.bind.isEmpty == false)
        #expect(throws: ConfigError.self) { try ClusterConfig(coordinator: CoordinatorSettings(bind: "tcp://10.0.0.1:1")).validateBind() }
        #expect(throws: Never.self) { try ClusterConfig(coordinator: CoordinatorSettings(bind: "tcp://[::1]:1")).validateBind() }
    }

    @Test func curveKeysValidated() throws {
        let key = String(repeating: "a", count: 39) + "#"
        let s = try Scratch()
        try s.write("secret", to: "keys/server.key_secret")
        let good = """
        [coordinator]
        bind = "tcp://0.0.0.0:5555"
        [curve]
        server_public = "\(key)"
        server_secret_file = "keys/server.key_secret"
        worker_keys_dir = "keys"
        [curve.workers]
        w1 = "\(String(repeating: "b", count: 40))"
        """
        let c = try ClusterConfigLoader.load(path: s.write(good))
        #expect(c.curve?.serverSecretFile == s.dir + "/keys/server.key_secret")
        #expect(c.curve?.workerKeysDir == s.dir + "/keys")
        #expect(c.curve?.workers == ["w1": String(repeating: "b", count: 40)])

        let short = try clusterError("[curve]\nserver_public = \"abc\"\n").error
        #expect(short?.description.hasSuffix("expected a 40-character Z85 public key (as printed by `acbench keys`), "
            + "got \"abc\" (3 characters)") == true)
        let alphabet = try clusterError("[curve]\nserver_public = \"\(String(repeating: "~", count: 40))\"\n").error
        #expect(alphabet?.description.contains("outside the Z85 alphabet") == true)
        let (missing, _) = try clusterError("[curve]\nserver_public = \"\(key)\"\nserver_secret_file = \"nope.key\"\n")
        #expect(missing?.keyPath == "curve.server_secret_file")
        #expect(missing?.line == 3)
        #expect(missing?.description.contains("does not exist") == true)
        let worker = try clusterError("[curve]\nserver_public = \"\(key)\"\n[curve.workers]\nw1 = \"short\"\n").error
        #expect(worker?.keyPath == "curve.workers.w1")
        #expect(worker?.line == 4)
    }

    @Test func retryBudgets() throws {
        let s = try Scratch()
        let c = try ClusterConfigLoader.load(path: s.write("[retry.budgets]\nout_of_memory = 4\n"))
        #expect(c.retry.budget(for: .outOfMemory) == 4)
        #expect(c.retry.budget(for: .lostWorker) == 5)
        let (e, _) = try clusterError("[retry]\nbackoff_max_s = 10\n\n[retry.budgets]\noom = 3\n")
        #expect(e?.line == 5)
        #expect(e?.description.contains("allowed keys in [retry.budgets]: bad_model, data_missing") == true)
    }

    @Test func servingChecks() throws {
        let (url, _) = try clusterError("[serving]\nengine = \"external\"\n")
        #expect(url?.keyPath == "serving.url")
        #expect(url?.line == 1)
        let (engine, _) = try clusterError("[serving]\nengine = \"sglang\"\n")
        #expect(engine?.description.hasSuffix("expected one of \"external\", \"vllm\", got \"sglang\"") == true)
        let (ph, _) = try clusterError("[serving]\nargs = [\"--x\", \"{modle}\"]\n")
        #expect(ph?.keyPath == "serving.args[1]")
        #expect(ph?.description.contains("{model}") == true)
        let (env, _) = try clusterError("[serving.env]\nA = 1\n")
        #expect(env?.keyPath == "serving.env.A")
        #expect(env?.line == 2)
    }

    @Test func hostsChecks() throws {
        let s = try Scratch()
        let c = try ClusterConfigLoader.load(path: s.write("[[hosts]]\nname = \"g1\"\ngpus = [0, 1, 2, 3]\ngpus_per_worker = 2\n"))
        #expect(c.hosts == [HostSettings(name: "g1", address: "g1", gpus: [0, 1, 2, 3], gpusPerWorker: 2)])
        let (e, _) = try clusterError("[[hosts]]\nname = \"g1\"\ngpus = [0, 1, 2]\ngpus_per_worker = 2\n")
        #expect(e?.keyPath == "hosts[0].gpus")
        let (neg, _) = try clusterError("[[hosts]]\nname = \"g1\"\ngpus = [0, -1]\n")
        #expect(neg?.keyPath == "hosts[0].gpus[1]")
        let k = try ClusterConfigLoader.load(path: s.write("[[hosts]]\nname = \"cpu\"\ngpus = []\ncpu_slots = 4\nkinds = [\"compress\"]\n"))
        #expect(k.hosts == [HostSettings(name: "cpu", address: "cpu", gpus: [], cpuSlots: 4, kinds: [.compress])])
        let (bad, _) = try clusterError("[[hosts]]\nname = \"g1\"\nkinds = [\"train\"]\n")
        #expect(bad?.keyPath == "hosts[0].kinds")
        let (none, _) = try clusterError("[[hosts]]\nname = \"g1\"\nkinds = []\n")
        #expect(none?.keyPath == "hosts[0].kinds")
    }

    // MARK: Sweep specifics

    @Test func generationOverridesMerge() throws {
        let s = try Scratch()
        let text = minimalSweep.replacingOccurrences(of: "[[models]]", with: "[generation]\ntemperature = 0.7\nmax_tokens = 100\n\n[[models]]")
            + "[tasks.generation]\nmax_tokens = 7\n\n[[tasks]]\nname = \"plain\"\nsuite = \"teval\"\n"
        let sweep = try SweepLoader.load(path: s.write(text))
        #expect(sweep.generation.temperature == 0.7)
        #expect(sweep.generation.maxTokens == 100)
        let g = try #require(sweep.tasks[0].generation)
        #expect(g.maxTokens == 7)
        #expect(g.temperature == 0.7)
        #expect(g.maxModelLen == GenerationSettings().maxModelLen)
        #expect(sweep.tasks[1].generation == nil)
        #expect(sweep.generation(for: sweep.tasks[1]) == sweep.generation)
    }

    @Test func generationOverrideIsValidated() throws {
        let (e, _) = try sweepError(minimalSweep + "[tasks.generation]\ndtype = \"fp8\"\n")
        #expect(e?.keyPath == "tasks[0].generation.dtype")
        #expect(e?.line == 17)
    }

    // MARK: Source map

    @Test func sourceMapFindsKeys() {
        let text = """
        top = 1
        [a]
        x = [
          1, "]", 2,
        ]
        "quoted key" = 2
        b.c = 3
        [[arr]]
        name = "one"
        [arr.sub]
        k = \"\"\"
        y = not a key
        \"\"\"
        [[arr]]
        name = "two"  # comment
        [[arr.inner]]
        z = 1
        """
        let map = TOMLSourceMap(text: text)
        #expect(map.line(for: "top") == 1)
        #expect(map.line(for: "a") == 2)
        #expect(map.line(for: "a.x") == 3)
        #expect(map.line(for: "a.quoted key") == 6)
        #expect(map.line(for: "a.b.c") == 7)
        #expect(map.line(for: "arr[0]") == 8)
        #expect(map.line(for: "arr[0].name") == 9)
        #expect(map.line(for: "arr[0].sub.k") == 11)
        #expect(map.exactLine(for: "arr[0].sub.y") == nil)
        #expect(map.line(for: "arr[1].name") == 15)
        #expect(map.line(for: "arr[1].inner[0].z") == 17)
        #expect(map.line(for: "arr[1].missing") == 14)
        #expect(map.line(for: "a.x[1]") == 3)
    }
}
