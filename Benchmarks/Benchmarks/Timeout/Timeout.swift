import Benchmark
import BenchmarkSupport

// `wait(timeout:)` and `TaskSet.wait(timeout:)`, beside a plain high-priority timer task.
let benchmarks: @Sendable () -> Void = {
    // W5: N tasks sleep 10 s; a 50 ms wait; lateness and teardown per iteration.
    Suite.register(.w5, [.tasks, .taskset, .rawtimer], ns: [1_000, 10_000])
}
