// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "acbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "acbench", targets: ["acbench"]),
        .executable(name: "acbench-bench-runner", targets: ["BenchRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        // Thin system-library bindings (see ../shared/specs/swift-stack.md §4).
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),

        // The modules of ../shared/DESIGN.md.
        .target(name: "Protocol", dependencies: [
            "CZeroMQ", "CCrypto",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Numerics are optimized in debug builds too: the tests and the demo run compression and
        // forward passes, which are 10-50x slower unoptimized. (Release builds ignore this.)
        .target(name: "Kernels", dependencies: ["COpenBLAS"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Tasks", dependencies: ["Protocol", "Kernels"]),
        .target(name: "Coordinator", dependencies: [
            "Protocol", "CSQLite",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Worker", dependencies: [
            "Protocol", "Tasks", "Kernels", "CCurl", "CCurlShim",
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // acbench report: the study's tables and plots from the state database.
        .target(name: "Report", dependencies: ["Coordinator", "Protocol", "Tasks"]),
        .executableTarget(name: "acbench", dependencies: [
            "Protocol", "Coordinator", "Worker", "Tasks", "Kernels", "Report",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmark of the runner core (scripts/bench/runner); figures are reported, never asserted.
        .executableTarget(name: "BenchRunner", dependencies: [
            "Protocol", "Coordinator", "CZeroMQ",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // scripts/bench/client-throughput: OpenAIClient requests/s against a no-op server.
        .executableTarget(name: "acbench-bench-client", dependencies: ["Worker"], path: "Sources/BenchClient"),
        // scripts/bench/kernels: forward tokens/s and encoder sentences/s against transformers / sentence-transformers.
        .executableTarget(name: "acbench-bench-kernels", dependencies: ["Kernels"], path: "Sources/BenchKernels"),
        // scripts/bench/worfbench-scoring: WorfBench node/graph scoring of all 1423 golds vs the Python reference pipeline.
        // scripts/bench/perplexity and scripts/bench/compression: SmolLM2 perplexity per compression method;
        // one layer's GPTQ / SparseGPT / Wanda time against PyTorch.
        .executableTarget(name: "acbench-bench-compression", dependencies: ["Kernels", "Tasks"], path: "Sources/BenchCompression"),
        .executableTarget(name: "acbench-bench-worfbench", dependencies: ["Tasks"], path: "Sources/BenchWorfBench"),

        .testTarget(name: "ProtocolTests", dependencies: ["Protocol"]),
        .testTarget(name: "CoordinatorTests", dependencies: ["Coordinator", "Protocol"]),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Protocol", "Tasks"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "Protocol"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Coordinator", "Protocol", "Kernels"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Protocol", "Coordinator", "CZeroMQ", "acbench"]),
    ]
)
