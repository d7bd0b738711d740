import Benchmark
import BenchmarkSupport

// `wait(_:timeout:returnWhen:)` and `wait(updating:)`, beside plain-Swift baselines.
let benchmarks: @Sendable () -> Void = {
    // W1: one wait for N tasks that return at once.
    Suite.register(.w1, [.tasks, .rawgroup, .rawtasks], ns: [10_000, 100_000])
    // W2g: the `.firstCompleted` loop, one task per call; `floor` is the cost of building the two
    // new sets per call that any value-returning `wait` pays.
    Suite.register(.w2g, [.tasks, .inplace, .floor], ns: [1_000, 3_000, 10_000])
}
