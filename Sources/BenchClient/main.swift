// acbench-bench-client URL REQUESTS CONCURRENCY...
//
// Completion requests per second through OpenAIClient against an OpenAI-compatible server
// (scripts/bench/client-throughput runs it next to an aiohttp client). For each concurrency C it
// opens a client with C requests in flight, warms up with C requests, then sends REQUESTS requests
// from C tasks and prints one line: `swift C REQUESTS SECONDS REQ_PER_S CPU_US_PER_REQUEST`
// (user + system CPU time of this process over the measured window, all threads).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Worker

let args = CommandLine.arguments
guard args.count >= 4, let total = Int(args[2]), total > 0 else {
    print("usage: acbench-bench-client URL REQUESTS CONCURRENCY...")
    exit(2)
}
let concurrencies = args[3...].compactMap { Int($0) }
let parameters = GenerationParameters(maxTokens: 16, temperature: 0, topP: 1)
let prompt = "The quick brown fox jumps over the lazy dog."

/// Sends `count` completions from `concurrency` tasks, each one request after another.
func drive(_ client: OpenAIClient, count: Int, concurrency: Int) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<concurrency {
            let share = count / concurrency + (worker < count % concurrency ? 1 : 0)
            group.addTask {
                for _ in 0..<share { _ = try await client.complete(prompt, parameters) }
            }
        }
        try await group.waitForAll()
    }
}

/// User + system CPU seconds used so far by this process (all threads).
func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

let clock = ContinuousClock()
for c in concurrencies {
    let client = OpenAIClient(.init(baseURL: args[1], model: "noop", maxRetries: 0, maxInFlight: c))
    try await drive(client, count: c, concurrency: c)
    let start = clock.now
    let cpuStart = cpuSeconds()
    try await drive(client, count: total, concurrency: c)
    let cpu = cpuSeconds() - cpuStart
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("swift \(c) \(total) \(seconds) \(Double(total) / seconds) \(cpu / Double(total) * 1e6)")
    client.shutdown()
}
