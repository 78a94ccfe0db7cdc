// Small helpers of acbench-bench-compression: arguments, wall time, failing.
import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// The value after `name` on the command line.
func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func intArgument(_ name: String, _ fallback: Int) -> Int { Int(argument(name) ?? "") ?? fallback }

func fail(_ message: String) -> Never {
    print("acbench-bench-compression: \(message)")
    exit(2)
}

/// Wall seconds of `body`, and its result.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let r = try body()
    let d = ContinuousClock.now - start
    return (r, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
}

/// `v` with `digits` decimals, right-aligned in `width`.
func fixed(_ v: Double, _ digits: Int, width: Int = 0) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (v * p).rounded() / p
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        s += String(repeating: "0", count: max(0, digits - decimals))
    }
    return String(repeating: " ", count: max(0, width - s.count)) + s
}

func padded(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

/// Prints `line` and flushes, so rows appear as they finish also through a pipe.
func say(_ line: String) {
    print(line)
    fflush(nil)
}
