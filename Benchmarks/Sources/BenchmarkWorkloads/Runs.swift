/// The benchmark workloads, named as in bench/peers (and asyncio_bench.py).
public enum Workload: String, CaseIterable, Sendable {
    case w1 = "W1"
    case w2g = "W2g"
    case w3 = "W3"
    case w4 = "W4"
    case w5 = "W5"

    /// What the workload measures, for benchmark names.
    public var title: String {
        switch self {
        case .w1: "W1 all-completed"
        case .w2g: "W2g firstCompleted loop"
        case .w3: "W3 as-completed"
        case .w4: "W4 first-exception"
        case .w5: "W5 timeout 50 ms"
        }
    }
}

/// How a workload is written: with AsyncWait, or as a plain-Swift baseline.
public enum Variant: String, CaseIterable, Sendable {
    /// AsyncWait over plain `Task` handles (`wait`, `asCompleted`).
    case tasks
    /// AsyncWait's `TaskSet`.
    case taskset
    /// AsyncWait's `wait(updating: &pending)`.
    case inplace
    /// Baseline: `withTaskGroup` / `withThrowingTaskGroup`.
    case rawgroup
    /// Baseline: N unstructured `Task` handles awaited in order.
    case rawtasks
    /// Baseline (W2g): only the two set constructions a value-returning `wait` cannot avoid.
    case floor
    /// Baseline (W5): a high-priority timer task.
    case rawtimer
}

/// One way to run one workload.
public struct Run: Sendable {
    public let workload: Workload
    public let variant: Variant
    /// What the code does, for benchmark names ("wait(tasks)", "raw withTaskGroup").
    public let title: String
    /// `true` for code that uses AsyncWait (`"asyncwait"` in the peer's JSON), `false` for a
    /// plain-Swift baseline (`"swift-raw"`).
    public let usesLibrary: Bool
    /// `false` when this build lacks the API the variant needs.
    public let isAvailable: Bool
    let body: @Sendable (_ n: Int, _ repeats: Int) async throws -> Measurement

    /// The `impl` field of the peer's JSON line.
    public var impl: String { usesLibrary ? "asyncwait" : "swift-raw" }

    /// Runs the workload over `n` tasks; `repeats` is used by W5 only. Throws ``BenchError``
    /// when the results are not what the workload expects.
    public func callAsFunction(n: Int, repeats: Int = W5.defaultRepeats) async throws -> Measurement {
        try await body(n, repeats)
    }
}

/// Every (workload, variant) pair that exists.
public enum Runs {
    public static let all: [Run] = [
        run(.w1, .tasks, "wait(tasks)") { n, _ in try await W1.tasks(n: n) },
        run(.w1, .taskset, "TaskSet.nextResult()") { n, _ in try await W1.taskSet(n: n) },
        raw(.w1, .rawgroup, "raw withTaskGroup") { n, _ in try await W1.rawGroup(n: n) },
        raw(.w1, .rawtasks, "raw Task handles awaited in order") { n, _ in try await W1.rawTasks(n: n) },

        run(.w2g, .tasks, "wait(pending) loop") { n, _ in try await W2g.tasks(n: n) },
        Run(workload: .w2g, variant: .inplace, title: "wait(updating: &pending) loop", usesLibrary: true,
            isAvailable: W2g.hasInPlace) { n, _ in try await W2g.inPlace(n: n) },
        run(.w2g, .taskset, "TaskSet.wait loop") { n, _ in try await W2g.taskSet(n: n) },
        raw(.w2g, .floor, "floor: new done + pending sets per call") { n, _ in try await W2g.floor(n: n) },

        run(.w3, .tasks, "asCompleted(tasks)") { n, _ in try await W3.tasks(n: n) },
        run(.w3, .taskset, "TaskSet.next()") { n, _ in try await W3.taskSet(n: n) },
        raw(.w3, .rawgroup, "raw withTaskGroup") { n, _ in try await W3.rawGroup(n: n) },

        run(.w4, .tasks, "wait(tasks, .firstException)") { n, _ in try await W4.tasks(n: n) },
        run(.w4, .taskset, "TaskSet.wait(.firstException)") { n, _ in try await W4.taskSet(n: n) },
        raw(.w4, .rawgroup, "raw withThrowingTaskGroup") { n, _ in try await W4.rawGroup(n: n) },

        run(.w5, .tasks, "wait(tasks, timeout:)") { n, r in try await W5.tasks(n: n, repeats: r) },
        run(.w5, .taskset, "TaskSet.wait(timeout:)") { n, r in try await W5.taskSet(n: n, repeats: r) },
        raw(.w5, .rawtimer, "raw high-priority timer task") { n, r in try await W5.rawTimer(n: n, repeats: r) },
    ]

    /// The run of `variant` for `workload`, if that pair exists.
    public static func find(_ workload: Workload, _ variant: Variant) -> Run? {
        all.first { $0.workload == workload && $0.variant == variant }
    }

    /// The variants that exist for `workload`.
    public static func variants(of workload: Workload) -> [Variant] {
        all.filter { $0.workload == workload }.map(\.variant)
    }

    private static func run(
        _ workload: Workload, _ variant: Variant, _ title: String,
        _ body: @escaping @Sendable (Int, Int) async throws -> Measurement
    ) -> Run {
        Run(workload: workload, variant: variant, title: title, usesLibrary: true, isAvailable: true, body: body)
    }

    private static func raw(
        _ workload: Workload, _ variant: Variant, _ title: String,
        _ body: @escaping @Sendable (Int, Int) async throws -> Measurement
    ) -> Run {
        Run(workload: workload, variant: variant, title: title, usesLibrary: false, isAvailable: true, body: body)
    }
}
