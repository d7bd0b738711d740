import AsyncWait

/// W3 as-completed: N tasks `await Task.yield()` once and return their index; consumed in
/// completion order.
public enum W3 {
    /// AsyncWait: `for try await task in asCompleted(tasks)`.
    @concurrent public static func tasks(n: Int) async throws -> Measurement {
        let t0 = clock.now
        var tasks: [Task<Int, Never>] = []
        tasks.reserveCapacity(n)
        for i in 0..<n {
            tasks.append(Task {
                await Task.yield()
                return i
            })
        }
        var total = 0
        var count = 0
        for try await task in asCompleted(tasks) {
            total += await task.value
            count += 1
        }
        let elapsed = clock.now - t0
        try check(count == n && total == triangle(n), "W3 tasks: count=\(count) sum=\(total)")
        return Measurement(seconds: elapsed.seconds)
    }

    /// AsyncWait: a `TaskSet` spawns the tasks; `next()` until it is empty.
    @concurrent public static func taskSet(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let set = TaskSet<Int, Never>()
        for i in 0..<n {
            set.spawn {
                await Task.yield()
                return i
            }
        }
        var total = 0
        var count = 0
        while let task = try await set.next() {
            total += await task.value
            count += 1
        }
        let elapsed = clock.now - t0
        try check(count == n && total == triangle(n), "W3 taskset: count=\(count) sum=\(total)")
        return Measurement(seconds: elapsed.seconds)
    }

    /// Baseline: `withTaskGroup`, `for await` over the children.
    @concurrent public static func rawGroup(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let (total, count) = await withTaskGroup(of: Int.self) { group in
            for i in 0..<n {
                group.addTask {
                    await Task.yield()
                    return i
                }
            }
            var total = 0
            var count = 0
            for await value in group {
                total += value
                count += 1
            }
            return (total, count)
        }
        let elapsed = clock.now - t0
        try check(count == n && total == triangle(n), "W3 rawgroup: count=\(count) sum=\(total)")
        return Measurement(seconds: elapsed.seconds)
    }
}
