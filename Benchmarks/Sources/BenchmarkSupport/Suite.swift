import Benchmark
@_exported import BenchmarkWorkloads

/// Registers package-benchmark benchmarks for the shared workloads, so that each suite file
/// only lists what it measures.
public enum Suite {
    /// Wall clock, CPU, mallocs and peak memory for every benchmark; W4 and W5 add their own.
    static let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, perTask]

    /// The iteration's wall clock (W5: without the 50 ms timeout) divided by N.
    static let perTask = BenchmarkMetric.custom("ns per task", useScalingFactor: false)

    /// Registers one benchmark per N and variant of `workload`, AsyncWait and baselines alike,
    /// named like `W1 all-completed: wait(tasks), N=10k`. Variants this build lacks are skipped.
    public static func register(_ workload: Workload, _ variants: [Variant], ns: [Int]) {
        for n in ns {
            for variant in variants {
                guard let run = Runs.find(workload, variant) else {
                    preconditionFailure("\(workload.rawValue) has no variant \(variant.rawValue)")
                }
                guard run.isAvailable else { continue }
                Benchmark(
                    "\(workload.title): \(run.title), N=\(label(n))",
                    configuration: configuration(workload, n)
                ) { benchmark in
                    let measurement = try await run(n: n, repeats: 1)
                    report(measurement, workload: workload, n: n, to: benchmark)
                }
            }
        }
    }

    static func configuration(_ workload: Workload, _ n: Int) -> Benchmark.Configuration {
        var metrics = metrics
        switch workload {
        case .w1, .w2g, .w3: break
        case .w4: metrics += [notice, teardown]
        case .w5: metrics += [lateness, teardown]
        }
        // Iterations take ~1 ms (W1 10k) to ~1 s (W2g 10k); W5 sleeps 50 ms each.
        let maxIterations = workload == .w5 ? 20 : (n >= 10_000 && workload == .w2g ? 5 : 30)
        return .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: maxIterations)
    }

    static let notice = BenchmarkMetric.custom("notice (µs)", useScalingFactor: false)
    static let teardown = BenchmarkMetric.custom("teardown (µs)", useScalingFactor: false)
    static let lateness = BenchmarkMetric.custom("lateness (µs)", useScalingFactor: false)

    static func report(_ measurement: Measurement, workload: Workload, n: Int, to benchmark: Benchmark) {
        func micros(_ seconds: Double?) -> Int { Int(((seconds ?? 0) * 1e6).rounded()) }
        benchmark.measurement(perTask, Int((measurement.seconds / Double(n) * 1e9).rounded()))
        switch workload {
        case .w1, .w2g, .w3:
            break
        case .w4:
            benchmark.measurement(notice, micros(measurement.number("notice_s")))
            benchmark.measurement(teardown, micros(measurement.number("teardown_s")))
        case .w5:
            benchmark.measurement(lateness, micros(measurement.number("lateness_median_ms").map { $0 / 1e3 }))
            benchmark.measurement(teardown, micros(measurement.number("teardown_median_s")))
        }
    }

    static func label(_ n: Int) -> String {
        n % 1_000_000 == 0 ? "\(n / 1_000_000)M" : n % 1_000 == 0 ? "\(n / 1_000)k" : "\(n)"
    }
}
