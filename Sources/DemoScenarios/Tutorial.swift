import AsyncWait

/// The seed tutorial's example, line for line: three API calls of 1, 2 and 3 seconds, consumed
/// with `wait(_:returnWhen: .firstCompleted)` in a loop.
///
/// Prints `calling API 1...`, `calling API 2...`, `calling API 3...`, then `1`, `2`, `3` at
/// about 1, 2 and 3 seconds on `clock`.
public func tutorial<C: Clock>(clock: C, output: @escaping Output) async throws where C.Duration == Duration {
    let task1 = startTask { try await callAPI("calling API 1...", result: 1, delay: .seconds(1), clock: clock, output: output) }
    let task2 = startTask { try await callAPI("calling API 2...", result: 2, delay: .seconds(2), clock: clock, output: output) }
    let task3 = startTask { try await callAPI("calling API 3...", result: 3, delay: .seconds(3), clock: clock, output: output) }

    var pending: Set = [task1, task2, task3]

    while !pending.isEmpty {
        let done: Set<Task<Int, any Error>>
        (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
        let result = try await done.first!.value
        output("\(result)")
    }
}
