// swift-tools-version: 6.1
// Benchmarks for AsyncWait, kept out of the root package so that `swift build`, `swift test` and
// CI never compile package-benchmark. See README.md for the commands.
import PackageDescription

import class Foundation.ProcessInfo
import struct Foundation.URL

// A path dependency's identity is its folder's name, which differs between clones.
let asyncWaitIdentity = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().lastPathComponent.lowercased()
let asyncWait: Target.Dependency = .product(name: "AsyncWait", package: asyncWaitIdentity)
let benchmark: Target.Dependency = .product(name: "Benchmark", package: "benchmark")

// `wait(updating:timeout:returnWhen:)` variants. Set ASYNCWAIT_BENCH_NO_INPLACE=1 to build against
// a library without that API (the `inplace` variant then exits with an error).
let inPlaceSettings: [SwiftSetting] =
    ProcessInfo.processInfo.environment["ASYNCWAIT_BENCH_NO_INPLACE"] == nil ? [.define("ASYNCWAIT_INPLACE")] : []

let package = Package(
    name: "AsyncWaitBenchmarks",
    platforms: [
        .macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2),
    ],
    products: [
        // The Swift peer of bench/peers/run_peers.py: one workload, one JSON line.
        .executable(name: "asyncwait-peer", targets: ["AsyncWaitPeer"]),
    ],
    dependencies: [
        .package(path: ".."),
        // Only the malloc interposer trait: the default trait set also wants a runtime
        // interposer package that is not available here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The five workloads, each as AsyncWait variants and plain-Swift baselines, shared by
        // the package-benchmark suites and `asyncwait-peer`.
        .target(name: "BenchmarkWorkloads", dependencies: [asyncWait], swiftSettings: inPlaceSettings),
        .executableTarget(name: "AsyncWaitPeer", dependencies: ["BenchmarkWorkloads"]),
        // Registers the workloads with package-benchmark for the suites below.
        .target(name: "BenchmarkSupport", dependencies: ["BenchmarkWorkloads", benchmark]),
    ],
    swiftLanguageModes: [.v6]
)

// One package-benchmark suite per operation, in Benchmarks/<Name>/<Name>.swift.
for name in ["Wait", "AsCompleted", "TaskSet", "FirstException", "Timeout"] {
    package.targets.append(
        .executableTarget(
            name: "\(name)Benchmarks",
            dependencies: ["BenchmarkSupport", benchmark],
            path: "Benchmarks/\(name)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
