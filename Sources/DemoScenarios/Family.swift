import AsyncWait

/// Runs one ``callAPI(_:result:delay:raiseException:clock:output:)`` as a task.
func api<C: Clock>(
    _ number: Int, delay seconds: Int, fails: Bool = false, clock: C, output: @escaping Output
) -> Task<Int, any Error> where C.Duration == Duration {
    startTask {
        try await callAPI("calling API \(number)...", result: number, delay: .seconds(seconds),
                          raiseException: fails, clock: clock, output: output)
    }
}

/// `asyncwait-demo wait-for`: `asyncio.wait_for`. A 3-second call with a 1-second limit is
/// cancelled and reported as a timeout; a 1-second call with a 2-second limit returns.
public func waitForDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let slow = api(1, delay: 3, clock: clock, output: output)
    do {
        output("\(try await waitFor(slow, timeout: .seconds(1), clock: clock))")
    } catch let error as TimeoutError {
        output("\(error) API 1 was cancelled: \(slow.isCancelled)")
    }
    let quick = api(2, delay: 1, clock: clock, output: output)
    output("\(try await waitFor(quick, timeout: .seconds(2), clock: clock))")
}

/// `asyncwait-demo as-completed`: `asyncio.as_completed`. Calls of 3, 1 and 2 seconds print
/// in the order they finish: 2, 3, 1.
public func asCompletedDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let tasks = [api(1, delay: 3, clock: clock, output: output),
                 api(2, delay: 1, clock: clock, output: output),
                 api(3, delay: 2, clock: clock, output: output)]
    for try await task in asCompleted(tasks, timeout: .seconds(10), clock: clock) {
        output("\(try await task.value)")
    }
}

/// `asyncwait-demo gather`: `asyncio.gather`. Results in input order whatever the completion
/// order; then a failing call makes `gather` throw at once.
public func gatherDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let values = try await gather([api(1, delay: 3, clock: clock, output: output),
                                   api(2, delay: 1, clock: clock, output: output),
                                   api(3, delay: 2, clock: clock, output: output)])
    output("\(values)")
    let slow = api(4, delay: 2, clock: clock, output: output)
    do {
        _ = try await gather([slow, api(5, delay: 1, fails: true, clock: clock, output: output)])
    } catch {
        output("\(error); API 4 still running: \(!slow.isCancelled)")
    }
    output("\(try await slow.value)")
}

/// `asyncwait-demo gather-results`: `asyncio.gather(..., return_exceptions=True)`.
public func gatherResultsDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let results = try await gatherResults([api(1, delay: 1, clock: clock, output: output),
                                          api(2, delay: 2, fails: true, clock: clock, output: output),
                                          api(3, delay: 3, clock: clock, output: output)])
    for result in results {
        switch result {
        case .success(let value): output("\(value)")
        case .failure(let error): output("\(error)")
        }
    }
}

/// `asyncwait-demo shield`: `asyncio.shield`. The waiter gives up after 1 second; the shielded
/// call is not cancelled and still delivers its result at 3 seconds.
public func shieldDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let call = api(1, delay: 3, clock: clock, output: output)
    do {
        _ = try await withTimeout(.seconds(1), clock: clock) { try await shield(call) }
    } catch {
        output("\(error) API 1 was cancelled: \(call.isCancelled)")
    }
    output("\(try await call.value)")
}

/// `asyncwait-demo timeout`: `asyncio.timeout`. A 3-second call in a 2-second scope is
/// cancelled and awaited, then `TimeoutError` is thrown.
public func timeoutDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    do {
        let value = try await withTimeout(.seconds(2), clock: clock) {
            try await callAPI("calling API 1...", result: 1, delay: .seconds(3), clock: clock, output: output)
        }
        output("\(value)")
    } catch {
        output("\(error)")
    }
}

/// `asyncwait-demo task-set`: a `TaskSet` spawns the calls and hands back results in
/// completion order, with no observer tasks.
public func taskSetDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let set = TaskSet<Int, any Error>()
    for (number, delay) in [(1, 3), (2, 1), (3, 2)] {
        output("calling API \(number)...")
        set.spawn { try await clock.sleep(for: .seconds(delay)); return number }
    }
    while let result = try await set.nextResult() {
        output("\(try result.get())")
    }
}

/// `asyncwait-demo task-group`: `withTaskSet`, asyncio's `TaskGroup`. One call fails: the other
/// is cancelled, and every failure comes back in a `TaskGroupError`.
public func taskGroupDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    do {
        try await withTaskSet(of: Int.self) { set in
            output("calling API 1...")
            set.spawn {
                do { try await clock.sleep(for: .seconds(3)) } catch { output("API 1 cancelled"); throw error }
                return 1
            }
            output("calling API 2...")
            set.spawn {
                try await clock.sleep(for: .seconds(1))
                throw APIError("calling API 2...")
            }
        }
    } catch {
        output("\(error)")
    }
}

/// `asyncwait-demo quorum`: ask three replicas, return once two have answered
/// (`.succeeded(atLeast: 2)`); the third keeps running.
public func quorumDemo<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let replicas = [api(1, delay: 3, clock: clock, output: output),
                    api(2, delay: 1, clock: clock, output: output),
                    api(3, delay: 2, clock: clock, output: output)]
    let (done, pending) = try await wait(replicas, timeout: .seconds(10), returnWhen: .succeeded(atLeast: 2), clock: clock)
    var answers: [Int] = []
    for task in done { answers.append(try await task.value) }
    output("quorum: \(answers.sorted()), still running: \(pending.count)")
}

/// Every demo scenario by its `asyncwait-demo` subcommand.
public let demoScenarios: [(name: String, run: @Sendable (ContinuousClock, @escaping Output) async throws -> Void)] = [
    ("tutorial", { try await tutorial(clock: $0, output: $1) }),
    ("wait-for", { try await waitForDemo(clock: $0, output: $1) }),
    ("as-completed", { try await asCompletedDemo(clock: $0, output: $1) }),
    ("gather", { try await gatherDemo(clock: $0, output: $1) }),
    ("gather-results", { try await gatherResultsDemo(clock: $0, output: $1) }),
    ("shield", { try await shieldDemo(clock: $0, output: $1) }),
    ("timeout", { try await timeoutDemo(clock: $0, output: $1) }),
    ("task-set", { try await taskSetDemo(clock: $0, output: $1) }),
    ("task-group", { try await taskGroupDemo(clock: $0, output: $1) }),
    ("quorum", { try await quorumDemo(clock: $0, output: $1) }),
]
