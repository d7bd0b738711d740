import Benchmark
import BenchmarkSupport

// `wait(returnWhen: .firstException)` and `TaskSet.wait(returnWhen: .firstException)`, beside
// `withThrowingTaskGroup`; notice and teardown are reported separately.
let benchmarks: @Sendable () -> Void = {
    // W4: task N/2 throws after one yield, the others sleep 10 s until cancelled.
    Suite.register(.w4, [.tasks, .taskset, .rawgroup], ns: [10_000, 100_000])
}
