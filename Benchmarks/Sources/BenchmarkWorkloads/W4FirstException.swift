import AsyncWait

/// W4 first-exception: task N/2 throws after one yield, the others sleep 10 s. Notice: spawn
/// until the failure is seen; teardown: cancel the rest and wait until all of them ended.
public enum W4 {
    struct Boom: Error {
        let index: Int
    }

    static func worker(_ i: Int, failing bad: Int) async throws -> Int {
        if i == bad {
            await Task.yield()
            throw Boom(index: i)
        }
        try await Task.sleep(for: .seconds(10))
        return i
    }

    static func measurement(n: Int, notice: Duration, teardown: Duration) -> Measurement {
        let notice = notice.seconds
        let teardown = teardown.seconds
        return Measurement(seconds: notice + teardown, extra: [
            ("notice_s", .double(notice)),
            ("teardown_s", .double(teardown)),
            ("notice_per_task_ns", .double(notice / Double(n) * 1e9)),
            ("teardown_per_task_ns", .double(teardown / Double(n) * 1e9)),
        ])
    }

    static func isBoom(_ result: Result<Int, any Error>, _ bad: Int) -> Bool {
        if case .failure(let error as Boom) = result { return error.index == bad }
        return false
    }

    static func isCancelled(_ result: Result<Int, any Error>) -> Bool {
        if case .failure(let error) = result { return error is CancellationError }
        return false
    }

    /// AsyncWait: `wait(tasks, returnWhen: .firstException)`; cancel `pending`; `wait(pending)`.
    @concurrent public static func tasks(n: Int) async throws -> Measurement {
        let bad = n / 2
        let t0 = clock.now
        var tasks: [Task<Int, any Error>] = []
        tasks.reserveCapacity(n)
        for i in 0..<n { tasks.append(Task { try await worker(i, failing: bad) }) }
        let (done, pending) = try await wait(tasks, returnWhen: .firstException)
        let t1 = clock.now
        try check(done.count == 1 && done.contains(tasks[bad]) && pending.count == n - 1,
                  "W4 tasks: done=\(done.count) pending=\(pending.count)")
        try check(isBoom(await tasks[bad].result, bad), "W4 tasks: wrong failure")
        for task in pending { task.cancel() }
        let (done2, pending2) = try await wait(pending)
        let t2 = clock.now
        try check(pending2.isEmpty && done2.count == n - 1, "W4 tasks: teardown incomplete")
        for task in done2 { try check(isCancelled(await task.result), "W4 tasks: a sleeper was not cancelled") }
        return measurement(n: n, notice: t1 - t0, teardown: t2 - t1)
    }

    /// AsyncWait: `set.wait(returnWhen: .firstException)`; `set.cancelAll()`; `set.wait()`.
    @concurrent public static func taskSet(n: Int) async throws -> Measurement {
        let bad = n / 2
        let t0 = clock.now
        let set = TaskSet<Int, any Error>()
        for i in 0..<n { set.spawn { try await worker(i, failing: bad) } }
        let (done, pending) = try await set.wait(returnWhen: .firstException)
        let t1 = clock.now
        try check(done.count == 1 && pending.count == n - 1, "W4 taskset: done=\(done.count) pending=\(pending.count)")
        try check(isBoom(await done.first!.result, bad), "W4 taskset: wrong failure")
        set.cancelAll()
        let (done2, pending2) = try await set.wait()
        let t2 = clock.now
        try check(pending2.isEmpty && done2.count == n - 1 && set.isEmpty, "W4 taskset: teardown incomplete")
        for task in done2 { try check(isCancelled(await task.result), "W4 taskset: a sleeper was not cancelled") }
        return measurement(n: n, notice: t1 - t0, teardown: t2 - t1)
    }

    /// Baseline: `withThrowingTaskGroup`; `next()` throws the failure; `cancelAll()`; drain.
    @concurrent public static func rawGroup(n: Int) async throws -> Measurement {
        let bad = n / 2
        let t0 = clock.now
        var t1 = t0
        let cancelled = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<n { group.addTask { try await worker(i, failing: bad) } }
            do {
                while try await group.next() != nil {}
                throw BenchError("W4 rawgroup: no task failed")
            } catch let boom as Boom {
                t1 = clock.now
                try check(boom.index == bad, "W4 rawgroup: wrong failure")
            }
            group.cancelAll()
            var cancelled = 0
            while let result = await group.nextResult() {
                if isCancelled(result) { cancelled += 1 }
            }
            return cancelled
        }
        let t2 = clock.now
        try check(cancelled == n - 1, "W4 rawgroup: \(cancelled) of \(n - 1) sleepers cancelled")
        return measurement(n: n, notice: t1 - t0, teardown: t2 - t1)
    }
}
