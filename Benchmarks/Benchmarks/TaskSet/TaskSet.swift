import Benchmark
import BenchmarkSupport

// `TaskSet`: nextResult(), wait(returnWhen:) and next(), beside plain-Swift baselines.
let benchmarks: @Sendable () -> Void = {
    // W1 through nextResult().
    Suite.register(.w1, [.taskset, .rawgroup], ns: [10_000, 100_000])
    // W2g: `while !set.isEmpty { _ = try await set.wait(returnWhen: .firstCompleted) }`.
    Suite.register(.w2g, [.taskset, .floor], ns: [1_000, 3_000, 10_000])
    // W3 through next().
    Suite.register(.w3, [.taskset, .rawgroup], ns: [10_000, 100_000])
}
