/// Command-line options of `acbench-bench-runner` (see `usage`).
struct Options {
    var runs = 3
    var units = 64
    var samples = 100
    var workerCounts = [1, 4, 16]
    var batches = [512, 1]
    var dispatchWorkers = [64, 256]
    var dispatchUnits = 2048
    var dispatchThreads = 8
    var timeout = 300.0
    var throughput = true
    var dispatch = true

    static let usage = """
        usage: acbench-bench-runner [--quick] [--runs N] [--units N] [--samples N] [--dispatch-units N]
                                    [--dispatch-threads N] [--timeout S] [--only throughput|dispatch]
          --quick             small sizes, one run each (a smoke test of the benchmark itself)
          --runs N            runs per configuration; the best is reported (default 3)
          --units N           eval units of the throughput sweep (default 64)
          --samples N         samples per unit of the throughput sweep (default 100)
          --dispatch-units N  one-sample units of the dispatch sweep (default 2048)
          --dispatch-threads N  threads owning the simulated DEALERs of the dispatch runs (default 8)
          --timeout S         give up on a run after S seconds (default 300)
        """

    /// Parses `args` (without the program name); throws with the usage on a bad argument.
    init(_ args: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < args.count else { throw BenchError("\(args[i - 1]) needs a value\n\(Self.usage)") }
            return args[i]
        }
        func int() throws -> Int {
            let s = try value()
            guard let n = Int(s), n > 0 else { throw BenchError("\(args[i - 1]) wants a positive integer, got '\(s)'") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--quick": runs = 1; units = 16; samples = 50; dispatchUnits = 512
            case "--runs": runs = try int()
            case "--units": units = try int()
            case "--samples": samples = try int()
            case "--dispatch-units": dispatchUnits = try int()
            case "--dispatch-threads": dispatchThreads = try int()
            case "--timeout": timeout = Double(try int())
            case "--only":
                switch try value() {
                case "throughput": dispatch = false
                case "dispatch": throughput = false
                case let s: throw BenchError("--only wants 'throughput' or 'dispatch', got '\(s)'")
                }
            case "-h", "--help": throw BenchError(Self.usage)
            case let s: throw BenchError("unknown argument '\(s)'\n\(Self.usage)")
            }
            i += 1
        }
    }
}
