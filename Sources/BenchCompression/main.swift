// acbench-bench-compression: the figures of scripts/bench/perplexity and scripts/bench/compression.
// Figures are reported, never asserted.
//
//   acbench-bench-compression perplexity --model DIR --work DIR [--samples 16 --seq-len 256 --eval-windows 8 --rows none,wanda --threads N]
//   acbench-bench-compression layer --model DIR --work DIR [--samples 16 --seq-len 256 --layer 0 --threads N]
import Kernels
#if canImport(Glibc)
import Glibc
#endif

let threads = intArgument("--threads", Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
BLASThreads.set(threads)
guard CommandLine.arguments.count > 1, let model = argument("--model"), let work = argument("--work") else {
    fail("usage: acbench-bench-compression perplexity|layer --model DIR --work DIR [options]")
}
let samples = intArgument("--samples", 16), seqLen = intArgument("--seq-len", 256)
do {
    switch CommandLine.arguments[1] {
    case "perplexity":
        try PerplexityBench(model: model, work: work, samples: samples, seqLen: seqLen,
                            evalWindows: intArgument("--eval-windows", 8),
                            only: (argument("--rows") ?? "").split(separator: ",").map(String.init)).run()
    case "layer":
        try LayerTiming(model: model, work: work, samples: samples, seqLen: seqLen, layer: intArgument("--layer", 0)).run()
    default:
        fail("unknown mode \(CommandLine.arguments[1]) (perplexity | layer)")
    }
} catch {
    fail("\(error)")
}
