import AsyncWait

/// W2g, the tutorial's `.firstCompleted` loop at its worst: task *i* awaits gate *i*; the loop
/// opens gate 0, then after each call opens the next gate, so that every call returns exactly
/// one task. With a value-returning `wait` each call copies `pending`: O(N²) in all.
public enum W2g {
    typealias Handle = Task<Int, Never>

    /// N gates and N tasks, task *i* returning *i* once gate *i* opens.
    static func gatedTasks(_ n: Int) -> (gates: [Gate], tasks: [Handle]) {
        let gates = (0..<n).map { _ in Gate() }
        var tasks: [Handle] = []
        tasks.reserveCapacity(n)
        for i in 0..<n {
            let gate = gates[i]
            tasks.append(Task {
                await gate.wait()
                return i
            })
        }
        return (gates, tasks)
    }

    /// Checks the one task a call returned and opens the next gate.
    struct Loop {
        let n: Int
        let gates: [Gate]
        let label: String
        var expected = 0
        var calls = 0
        var total = 0

        mutating func received(_ done: some Collection<Handle>) async throws {
            calls += 1
            try check(done.count == 1, "\(label): call \(calls) returned \(done.count) tasks")
            let value = await done.first!.value
            try check(value == expected, "\(label): expected task \(expected), got \(value)")
            total += value
            expected += 1
            if expected < n { gates[expected].open() }
        }

        func finish(_ t0: ContinuousClock.Instant) throws -> Measurement {
            let elapsed = clock.now - t0
            try check(calls == n && total == triangle(n), "\(label): calls=\(calls) sum=\(total)")
            return Measurement(seconds: elapsed.seconds, extra: [("wait_calls", .int(calls))])
        }
    }

    /// AsyncWait: `(done, pending) = try await wait(pending, returnWhen: .firstCompleted)`.
    @concurrent public static func tasks(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let (gates, tasks) = gatedTasks(n)
        var pending = Set(tasks)
        var loop = Loop(n: n, gates: gates, label: "W2g tasks")
        gates[0].open()
        while !pending.isEmpty {
            let done: Set<Handle>
            (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
            try await loop.received(done)
        }
        return try loop.finish(t0)
    }

    /// AsyncWait: `while !set.isEmpty { try await set.wait(returnWhen: .firstCompleted) }`.
    @concurrent public static func taskSet(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let gates = (0..<n).map { _ in Gate() }
        let set = TaskSet<Int, Never>()
        for i in 0..<n {
            let gate = gates[i]
            set.spawn {
                await gate.wait()
                return i
            }
        }
        var loop = Loop(n: n, gates: gates, label: "W2g taskset")
        gates[0].open()
        while !set.isEmpty {
            let (done, _) = try await set.wait(returnWhen: .firstCompleted)
            try await loop.received(done)
        }
        return try loop.finish(t0)
    }

    /// The API floor: a stand-in for `wait` that already knows which task finishes next, awaits
    /// it, and only builds the two new sets, `done = [finished]` and `pending` minus it. The
    /// caller still holds the old `pending` during the call, so the new one is a full
    /// copy-on-write copy (one retain per handle): the inherent cost of a value-returning API.
    @concurrent public static func floor(n: Int) async throws -> Measurement {
        let t0 = clock.now
        let (gates, tasks) = gatedTasks(n)
        var pending = Set(tasks)
        var loop = Loop(n: n, gates: gates, label: "W2g floor")
        gates[0].open()
        while !pending.isEmpty {
            let done: Set<Handle>
            (done, pending) = await floorWait(pending, finished: tasks[loop.expected])
            try await loop.received(done)
        }
        return try loop.finish(t0)
    }

    @inline(never)
    static func floorWait(_ pending: Set<Handle>, finished: Handle) async -> (done: Set<Handle>, pending: Set<Handle>) {
        _ = await finished.value
        var rest = pending  // shared with the caller's set: the removal copies it
        rest.remove(finished)
        return ([finished], rest)
    }
}
