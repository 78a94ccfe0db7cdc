import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// scripts/cluster/ssh-workers against a [[hosts]] entry, with ssh and scp replaced by local
/// stand-ins (scripts/testing/fake-ssh, fake-scp) whose "remote home" is a folder of the test.
@Suite("SSHLauncher", .serialized)
struct SSHLauncherTests {
    static let repo = WorkerBundleTests.repo

    @Test func pushStartStatusStopAndRestart() async throws {
        let c = try TestCluster(name: "ssh", leaseSeconds: 10)
        let home = c.dir + "/remote-home"
        defer {
            if let pid = Int32((try? String(contentsOfFile: home + "/acbench/state/ssh-worker.pid", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") { kill(pid, SIGKILL) }
            c.tearDown()
        }
        try c.writeSweep(models: 1, shards: 4, samples: 120, sampleMs: 25)
        try (String(contentsOfFile: c.dir + "/cluster.conf", encoding: .utf8)
             + "\n[[hosts]]\nname = \"box\"\naddress = \"box.example.org\"\ngpus = []\ncpu_slots = 2\n")
            .write(toFile: c.dir + "/cluster.conf", atomically: true, encoding: .utf8)
        // A "bundle" whose wrapper runs the binary under test.
        try FileManager.default.createDirectory(atPath: c.dir + "/b/acbench-test", withIntermediateDirectories: true)
        try "#!/bin/sh\nexec '\(TestCluster.binary)' \"$@\"\n".write(toFile: c.dir + "/b/acbench-test/acbench", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try WorkerBundleTests.sh("chmod +x '\(c.dir)/b/acbench-test/acbench' && tar -C '\(c.dir)/b' -czf '\(c.dir)/bundle.tgz' acbench-test")

        let ssh = { (args: String) throws -> String in
            try WorkerBundleTests.sh("cd '\(c.dir)' && FAKE_HOME='\(home)' SSH='\(Self.repo)/scripts/testing/fake-ssh' "
                                     + "SCP='\(Self.repo)/scripts/testing/fake-scp' '\(Self.repo)/scripts/cluster/ssh-workers' \(args)")
        }
        #expect(try ssh("names") == "box: box-0 box-1\n")
        #expect(try ssh("push bundle.tgz").contains("[box] pushed"))
        try c.startCoordinator()
        #expect(try ssh("start").contains("[box] started"))
        let store = { try? StateStore(path: c.statePath, readOnly: true) }
        #expect(await TestCluster.until(seconds: 30) {
            (try? store()?.db.rows("SELECT COUNT(*) FROM units WHERE state = 'running'") { $0.int(0) }.first ?? 0) == 2
        }, "the two workers of host box never ran: \(c.output("coordinator.out").suffix(1500))")
        #expect(try ssh("status").contains("running, pid"))
        #expect(try ssh("stop").contains("sent SIGTERM"))
        #expect(try await TestCluster.until(seconds: 30) { try ssh("status").contains("not running") }, "the workers did not drain")
        #expect(c.coordinator!.isRunning, "the sweep should not be finished yet")
        #expect(try ssh("start").contains("[box] started"))
        #expect(await TestCluster.wait(c.coordinator!, seconds: 90), "\(c.output("coordinator.out").suffix(1500))")
        let check = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(check.notDone.isEmpty && check.incomplete.isEmpty && check.wrongScores == 0)
        let hosts = Set(try check.store.db.rows("SELECT host FROM workers") { $0.text(0) ?? "" })
        #expect(hosts == ["box"])
        let failed = try check.store.db.rows("SELECT COUNT(*) FROM attempts WHERE outcome = 'failed'") { $0.int(0) }.first
        #expect(failed == 0, "the drain lost a lease")
    }
}
}
