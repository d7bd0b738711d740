import AsyncWait

/// W1 all-completed: N tasks return their index at once; one wait for all of them; sum the
/// results. Measures the per-task cost of watching tasks that finish almost immediately.
public enum W1 {
    /// AsyncWait: N `Task` handles, one `wait(tasks)` (`.allCompleted`), then the values.
    @concurrent public static func tasks(n: Int) async throws -> Measurement {
        let t0 = clock.now
        var tasks: [Task<Int, Never>] = []
        tasks.reserveCapacity(n)
        for i in 0..<n { tasks.append(Task { i }) }
        let (done, pending) = try await wait(tasks)
        var total = 0
        for task in tasks { total += await task.value }
        let elapsed = clock.now - t0
        try check(pending.isEmpty && done.count == n, "W1 tasks: done=\(done.count) pending=\(pending.count)")
        try check(total == triangle(n), "W1 tasks: bad sum \(total)")
        return Measurement(seconds: elapsed.seconds)
    }

    /// AsyncWait: a `TaskSet` spawns the N tasks; `nextResult()` until it is empty.
    @concurrent public static func taskSet(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let set = TaskSet<Int, Never>()
        for i in 0..<n { set.spawn { i } }
        var total = 0
        var count = 0
        while let result = try await set.nextResult() {
            total += result.get()
            count += 1
        }
        let elapsed = clock.now - t0
        try check(count == n && total == triangle(n), "W1 taskset: count=\(count) sum=\(total)")
        return Measurement(seconds: elapsed.seconds)
    }

    /// Baseline: `withTaskGroup`, `for await` over the children.
    @concurrent public static func rawGroup(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let (total, count) = await withTaskGroup(of: Int.self) { group in
            for i in 0..<n { group.addTask { i } }
            var total = 0
            var count = 0
            for await value in group {
                total += value
                count += 1
            }
            return (total, count)
        }
        let elapsed = clock.now - t0
        try check(count == n && total == triangle(n), "W1 rawgroup: count=\(count) sum=\(total)")
        return Measurement(seconds: elapsed.seconds)
    }

    /// Baseline: N unstructured `Task` handles awaited in order.
    @concurrent public static func rawTasks(n: Int) async throws -> Measurement {
        let t0 = clock.now
        var tasks: [Task<Int, Never>] = []
        tasks.reserveCapacity(n)
        for i in 0..<n { tasks.append(Task { i }) }
        var total = 0
        for task in tasks { total += await task.value }
        let elapsed = clock.now - t0
        try check(total == triangle(n), "W1 rawtasks: bad sum \(total)")
        return Measurement(seconds: elapsed.seconds)
    }
}
