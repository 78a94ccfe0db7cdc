#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// acbench-bench-runner: the runner core's figures (reported, never asserted). See docs/BENCHMARKS.md.
func say(_ s: String) { Terminal.out(s + "\n") }

let options: Options
do { options = try Options(Array(CommandLine.arguments.dropFirst())) } catch {
    Terminal.err("\(error)\n"); exit(2)
}

say("acbench runner-core benchmark")
say("nproc: \(onlineProcessors()), libzmq \(ZMQContext.version), best of \(options.runs) run(s) per configuration")
let cpuStart = CPUStat.now()
let anomalies = Locked<[String]>([])

func note(_ r: RunResult, _ label: String) {
    if !r.verdict.exactlyOnce {
        anomalies.withLock { $0.append("\(label): \(r.verdict.sampleRows) sample rows for \(r.verdict.expected) expected, "
                         + "\(r.verdict.unitsDone)/\(r.verdict.unitsTotal) units done") }
    }
    if r.stats.reRegistrations > 0 || r.stats.cancels > 0 || !r.stats.errors.isEmpty {
        anomalies.withLock { $0.append("\(label): \(r.stats.reRegistrations) re-registrations, \(r.stats.cancels) cancels, "
                         + "\(r.stats.errors.count) errors \(r.stats.errors.prefix(2))") }
    }
}

do {
    var tables: [String] = []
    if options.throughput {
        let sweep = BenchSweep(units: options.units, samplesPerUnit: options.samples)
        say("\n[1] sample results persisted per second: \(sweep.units) units × \(sweep.samplesPerUnit) samples "
            + "= \(sweep.units * sweep.samplesPerUnit) results per run, one DEALER per worker thread")
        let before = CPUStat.now()
        var best: [Int: [Int: RunResult]] = [:]
        for n in options.workerCounts {
            for b in options.batches {
                var s = sweep; s.commitBatch = b
                let (r, all) = try bestOf(options.runs, s, workers: n, threads: n, timeout: options.timeout, progress: say)
                all.enumerated().forEach { note($1, "throughput N=\(n) batch=\(b) run \($0 + 1)") }
                best[n, default: [:]][b] = r
            }
        }
        var t = TextTable(["workers"] + options.batches.map { "batch \($0): samples/s" }
                          + (options.batches.count == 2 ? ["ratio \(options.batches[0])/\(options.batches[1])"] : [])
                          + options.batches.map { "samples/commit at \($0)" } + ["exactly once"])
        for n in options.workerCounts {
            let rs = options.batches.compactMap { best[n]?[$0] }
            var row = ["\(n)"] + rs.map { fixed($0.samplesPerSecond, 0) }
            if rs.count == 2 { row.append(fixed(rs[0].samplesPerSecond / rs[1].samplesPerSecond, 1) + "×") }
            row += rs.map { fixed($0.verdict.samplesPerCommit) }
            row.append(rs.allSatisfy { $0.verdict.exactlyOnce } ? "yes (\(rs[0].verdict.sampleRows) rows)" : "NO")
            t.add(row)
        }
        let idle = CPUStat.idlePercent(before, CPUStat.now())
        tables.append("Sample results committed per second (best of \(options.runs); \(sweep.units) units × \(sweep.samplesPerUnit) samples; "
                      + "cores idle \(idle.map { fixed($0) + " %" } ?? "n/a")):\n" + t.render())
    }
    if options.dispatch {
        let sweep = BenchSweep(units: options.dispatchUnits, samplesPerUnit: 1)
        say("\n[2] dispatch latency: \(sweep.units) units × 1 sample, simulated workers on \(options.dispatchThreads) threads")
        let before = CPUStat.now()
        var t = TextTable(["workers", "units/s", "ASK→ASSIGN p50 ms", "p90 ms", "p99 ms", "max ms", "assigns", "NOWORK", "told sweep done"])
        for n in options.dispatchWorkers {
            let (r, all) = try bestOf(options.runs, sweep, workers: n, threads: options.dispatchThreads,
                                      timeout: options.timeout, progress: say)
            all.enumerated().forEach { note($1, "dispatch N=\(n) run \($0 + 1)") }
            let lat = r.stats.askToAssign.sorted().map { $0 * 1000 }
            t.add(["\(n)", fixed(r.unitsPerSecond, 0), fixed(percentile(lat, 50), 2), fixed(percentile(lat, 90), 2),
                   fixed(percentile(lat, 99), 2), fixed(lat.last ?? .nan, 2), "\(lat.count)", "\(r.stats.noWork)",
                   "\(r.sweepDoneSeen)/\(n)"])
        }
        let idle = CPUStat.idlePercent(before, CPUStat.now())
        tables.append("Dispatch (best units/s of \(options.runs); percentiles from that run; commit_batch 512; "
                      + "cores idle \(idle.map { fixed($0) + " %" } ?? "n/a")):\n" + t.render())
    }
    let idle = CPUStat.idlePercent(cpuStart, CPUStat.now())
    say("\n" + tables.joined(separator: "\n\n"))
    say("\nnproc \(onlineProcessors()); cores idle over the whole benchmark: \(idle.map { fixed($0) + " %" } ?? "n/a (no /proc/stat)")")
    say("note: coordinator, simulated workers and anything else on this machine share its cores; on a shared "
        + "2-core machine these figures are noisy (compare ratios, not absolute values).")
    let found = anomalies.withLock { $0 }
    if found.isEmpty { say("anomalies: none") } else { say("anomalies:\n  " + found.joined(separator: "\n  ")) }
} catch {
    Terminal.err("acbench-bench-runner: \(error)\n")
    exit(1)
}
