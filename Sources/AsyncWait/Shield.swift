/// Waits for a task's result without letting the caller's cancellation reach it: `asyncio.shield`.
///
/// Unlike `await task.value`, which neither forwards nor honours the caller's cancellation,
/// `shield` returns promptly when its caller is cancelled, and leaves the task running.
///
/// ```swift
/// let save = Task { try await database.commit() }
/// let receipt = try await shield(save)   // a cancelled caller stops waiting; the commit goes on
/// ```
///
/// ## Cancellation
/// If the caller is cancelled while the task runs, `shield` throws `CancellationError` at once;
/// the task is not cancelled and its result stays available to anyone else. If the task has
/// already finished, `shield` returns its result (or rethrows its error) even for a cancelled
/// caller, as CPython's `shield` hands back a finished task (see the guide's Python snippet).
///
/// - Parameter task: A running or finished task; never cancelled by `shield`.
/// - Returns: The task's value.
/// - Throws: The task's error, or `CancellationError` if the caller was cancelled first.
public func shield<Success, Failure>(_ task: Task<Success, Failure>) async throws -> Success {
    let record = CompletionRegistry.record(for: task)
    if record.outcome == nil {
        try checkNotWaitingOnItself(CollectionOfOne(task))
        let snapshot = await WaitOperation.run(
            records: [record], condition: .allCompleted, limit: WaitLimit<ContinuousClock>.none)
        try snapshot.throwIfInterrupted()
    }
    return try await task.value
}
