import Benchmark
import BenchmarkSupport

// `asCompleted(_:timeout:)`, beside `withTaskGroup` + `for await`.
let benchmarks: @Sendable () -> Void = {
    // W3: N tasks that yield once, consumed in completion order.
    Suite.register(.w3, [.tasks, .rawgroup], ns: [10_000, 100_000])
}
