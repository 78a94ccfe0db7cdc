import Foundation
import Testing
@testable import Coordinator
import Protocol

extension Processes {
/// SLOW (a release build, and the first time a debootstrap of Debian 12): the worker bundle of
/// `scripts/package-worker` runs in a clean Debian chroot that has no Swift, only the runtime
/// packages from Debian, and registers with a coordinator on loopback (the chroot shares the
/// host's network). The chroot is cached in .cache/debian-bookworm (git-ignored); set
/// ACBENCH_BUNDLE to a tarball (from `scripts/package-worker`) to skip the build, which uses its own
/// SwiftPM folder .cache/bundle-build because `swift test` holds .build.
@Suite("WorkerBundle", .serialized)
struct WorkerBundleTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let root = repo + "/.cache/debian-bookworm"

    /// Root, chroot(8), and a cached chroot or a debootstrap that is (or can be) installed.
    static var usable: Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/chroot") else { return false }
        if FileManager.default.fileExists(atPath: root + "/.acbench-ready") { return true }
        return (try? sh("command -v debootstrap || apt-get install -y --no-install-recommends debootstrap")) != nil
    }

    @Test("slow: the worker bundle runs in a clean Debian chroot and joins a sweep",
          .enabled(if: usable, "needs root and debootstrap (apt-get install debootstrap)"), .timeLimit(.minutes(30)))
    func slowBundleRunsInCleanDebianChroot() async throws {
        try Self.sh("'\(Self.repo)/scripts/testing/debian-chroot' '\(Self.root)'")
        let bundle: String
        if let b = ProcessInfo.processInfo.environment["ACBENCH_BUNDLE"] { bundle = b } else {
            let out = try Self.sh("'\(Self.repo)/scripts/package-worker' --out '\(Self.repo)/.cache/bundle' --scratch-path '\(Self.repo)/.cache/bundle-build'")
            bundle = try #require(out.split(separator: "\n").last.map(String.init))
        }
        let inside = "/opt/acbench-\(UUID().uuidString.prefix(8))"
        let dest = Self.root + inside
        try FileManager.default.createDirectory(atPath: dest + "/run", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dest) }
        try Self.sh("tar -xzf '\(bundle)' -C '\(dest)' --strip-components=1")
        try Self.sh("mountpoint -q '\(Self.root)/proc' || mount -t proc proc '\(Self.root)/proc'")
        defer { _ = try? Self.sh("umount '\(Self.root)/proc'") }

        // A clean root: no Swift toolchain, no Swift runtime libraries, no -dev packages.
        #expect((try? Self.sh("chroot '\(Self.root)' sh -c 'command -v swift || ls /usr/lib/swift'")) == nil, "the chroot has Swift")
        let ldd = try Self.sh("chroot '\(Self.root)' ldd \(inside)/bin/acbench")
        #expect(!ldd.contains("not found") && !ldd.contains("libswift"), "\(ldd)")

        let c = try TestCluster(name: "bundle", leaseSeconds: 10)
        defer { c.tearDown() }
        try c.writeSweep(models: 1, shards: 2, samples: 10, sampleMs: 2)
        try FileManager.default.copyItem(atPath: c.dir + "/cluster.conf", toPath: dest + "/run/cluster.conf")
        let check = try Self.sh("chroot '\(Self.root)' \(inside)/acbench worker --check --gpus none --config \(inside)/run/cluster.conf || true")
        #expect(check.contains("ok      artifacts") && check.contains("WARNING serving"), "\(check)")
        try c.startCoordinator()
        let worker = try c.start(["\(inside)/acbench", "worker", "--name", "debian", "--gpus", "none",
                                  "--config", "\(inside)/run/cluster.conf"], log: "debian.out", withConfig: false, chroot: Self.root)
        defer { TestCluster.kill(worker) }
        #expect(await TestCluster.wait(c.coordinator!, seconds: 120), "coordinator did not finish: \(c.output("coordinator.out").suffix(2000))")
        #expect(await TestCluster.wait(worker, seconds: 20) && worker.terminationStatus == 0, "\(c.output("debian.out").suffix(2000))")
        let sweep = try SweepCheck(path: c.statePath, sweep: "e2e")
        #expect(sweep.notDone.isEmpty && sweep.incomplete.isEmpty && sweep.wrongScores == 0)
        let workers = try sweep.store.db.rows("SELECT DISTINCT worker FROM samples") { $0.text(0) ?? "" }
        #expect(workers == ["debian"])
    }

    /// Runs `command` with /bin/sh; its output, or an error carrying it when the status is not 0.
    /// Output goes through a file and the shell is awaited with system(3) (waitpid): a detached
    /// process the command starts (ssh-workers start) must not keep the test waiting.
    @discardableResult
    static func sh(_ command: String) throws -> String {
        let path = NSTemporaryDirectory() + "acbench-sh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let status = system("( \(command) ) > '\(path)' 2>&1 < /dev/null")
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TestError("`\(command)` exited \((status >> 8) & 0xff): \(text.suffix(3000))") }
        return text
    }
}
}
