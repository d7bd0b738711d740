import AsyncWait

/// W5 timeout: N tasks sleep 10 s; a 50 ms wait; then cancel and await them. Repeated; reports
/// how late the 50 ms wait returns under the load of N sleeping tasks, and the teardown.
public enum W5 {
    public static let timeout: Duration = .milliseconds(50)
    public static let defaultRepeats = 20

    typealias Handle = Task<Void, any Error>

    static func sleepers(_ n: Int) -> [Handle] {
        var tasks: [Handle] = []
        tasks.reserveCapacity(n)
        for _ in 0..<n { tasks.append(Task { try await Task.sleep(for: .seconds(10)) }) }
        return tasks
    }

    static func isCancelled(_ result: Result<Void, any Error>) -> Bool {
        if case .failure(let error) = result { return error is CancellationError }
        return false
    }

    /// One repeat's instants: spawn start, spawn end (the wait starts), wait returned, teardown end.
    struct Sample {
        let spawn: Duration
        let lateness: Duration
        let teardown: Duration
    }

    static func sample(_ label: String, _ t0: ContinuousClock.Instant, _ t1: ContinuousClock.Instant,
                       _ t2: ContinuousClock.Instant, _ t3: ContinuousClock.Instant) throws -> Sample {
        let lateness = (t2 - t1) - timeout
        try check(lateness > .milliseconds(-1), "\(label): returned \(-lateness.seconds * 1e3) ms early")
        return Sample(spawn: t1 - t0, lateness: lateness, teardown: t3 - t2)
    }

    static func measurement(_ samples: [Sample]) -> Measurement {
        let lateness = samples.map { $0.lateness.seconds }
        let teardown = samples.map { $0.teardown.seconds }
        let spawn = samples.map { $0.spawn.seconds }
        let overhead = samples.map { ($0.spawn + $0.lateness + $0.teardown).seconds }
        return Measurement(seconds: median(overhead), extra: [
            ("repeats", .int(samples.count)),
            ("timeout_ms", .double(timeout.seconds * 1e3)),
            ("lateness_median_ms", .double(median(lateness) * 1e3)),
            ("lateness_max_ms", .double(lateness.max()! * 1e3)),
            ("teardown_median_ms", .double(median(teardown) * 1e3)),
            ("teardown_median_s", .double(median(teardown))),
            ("spawn_median_ms", .double(median(spawn) * 1e3)),
        ])
    }

    /// AsyncWait: `wait(tasks, timeout: 50 ms)`; cancel `pending`; `wait(pending)`.
    @concurrent public static func tasks(n: Int, repeats: Int) async throws -> Measurement {
        var samples: [Sample] = []
        for _ in 0..<repeats {
            let t0 = clock.now
            let tasks = sleepers(n)
            let t1 = clock.now
            let (done, pending) = try await wait(tasks, timeout: timeout)
            let t2 = clock.now
            try check(done.isEmpty && pending.count == n, "W5 tasks: done=\(done.count) before the timeout")
            for task in pending { task.cancel() }
            let (done2, pending2) = try await wait(pending)
            let t3 = clock.now
            try check(pending2.isEmpty && done2.count == n, "W5 tasks: teardown incomplete")
            for task in done2 { try check(isCancelled(await task.result), "W5 tasks: a sleeper was not cancelled") }
            samples.append(try sample("W5 tasks", t0, t1, t2, t3))
        }
        return measurement(samples)
    }

    /// AsyncWait: `set.wait(timeout: 50 ms)`; `set.cancelAll()`; `set.wait()`.
    @concurrent public static func taskSet(n: Int, repeats: Int) async throws -> Measurement {
        var samples: [Sample] = []
        for _ in 0..<repeats {
            let t0 = clock.now
            let set = TaskSet<Void, any Error>()
            for _ in 0..<n { set.spawn { try await Task.sleep(for: .seconds(10)) } }
            let t1 = clock.now
            let (done, pending) = try await set.wait(timeout: timeout)
            let t2 = clock.now
            try check(done.isEmpty && pending.count == n, "W5 taskset: done=\(done.count) before the timeout")
            set.cancelAll()
            let (done2, pending2) = try await set.wait()
            let t3 = clock.now
            try check(pending2.isEmpty && done2.count == n, "W5 taskset: teardown incomplete")
            for task in done2 { try check(isCancelled(await task.result), "W5 taskset: a sleeper was not cancelled") }
            samples.append(try sample("W5 taskset", t0, t1, t2, t3))
        }
        return measurement(samples)
    }

    /// Baseline: what `wait` does inside, without the bookkeeping: a high-priority task sleeps
    /// until the deadline; then cancel each task and await each handle in order.
    @concurrent public static func rawTimer(n: Int, repeats: Int) async throws -> Measurement {
        var samples: [Sample] = []
        for _ in 0..<repeats {
            let t0 = clock.now
            let tasks = sleepers(n)
            let t1 = clock.now
            let deadline = t1.advanced(by: timeout)
            try await Task(priority: .high) { try await clock.sleep(until: deadline, tolerance: nil) }.value
            let t2 = clock.now
            for task in tasks { task.cancel() }
            var cancelled = 0
            for task in tasks {
                if isCancelled(await task.result) { cancelled += 1 }
            }
            let t3 = clock.now
            try check(cancelled == n, "W5 rawtimer: \(cancelled) of \(n) sleepers cancelled")
            samples.append(try sample("W5 rawtimer", t0, t1, t2, t3))
        }
        return measurement(samples)
    }
}
