/// Waits for one task with a time limit, cancelling it when the limit passes: `asyncio.wait_for`.
///
/// **On timeout the task is cancelled, and `waitFor` waits until it has actually finished** before
/// it throws: nothing of the task runs after `waitFor` returns or throws. Unlike
/// `await task.value`, the caller's cancellation reaches the task.
///
/// ```swift
/// let task = Task { try await callAPI("calling API...", result: 1, delay: .seconds(3)) }
/// do {
///     print(try await waitFor(task, timeout: .seconds(1)))
/// } catch is TimeoutError {
///     print("timed out")   // task was cancelled and has ended
/// }
/// ```
///
/// ## Result
/// The task's value, or its error rethrown, if it finishes in time. If the timeout passes first,
/// the task is cancelled and awaited; then `waitFor` throws ``TimeoutError`` if the task ended by
/// `CancellationError`, returns its value if it returned anyway, and rethrows any other error.
///
/// ## Timeout
/// `nil` means no limit. Zero or negative: a task that has already finished gives its result;
/// otherwise it is treated as a timeout at once (the task is cancelled and awaited).
///
/// ## Cancellation
/// If the caller is cancelled, the task is cancelled and awaited; then `waitFor` throws
/// `CancellationError`, unless the task returned a value anyway, which is returned (CPython
/// 3.12+), or threw another error, which is rethrown.
///
/// - Parameters:
///   - task: A running task; `waitFor` owns its cancellation for the duration of the call.
///   - timeout: How long to wait at most, on `ContinuousClock`; `nil` for no limit.
/// - Returns: The task's value.
/// - Throws: The task's error, ``TimeoutError``, or `CancellationError`.
public func waitFor<Success, Failure>(_ task: Task<Success, Failure>, timeout: Duration?) async throws -> Success {
    try await waitFor(task, timeout: timeout, clock: ContinuousClock())
}

/// Waits for one task with a time limit measured on `clock`, cancelling it when the limit passes.
///
/// The same as ``waitFor(_:timeout:)`` on any `Clock`; tests pass a test clock.
///
/// ```swift
/// let clock = TestClock()
/// let waiter = Task { try await waitFor(task, timeout: .seconds(1), clock: clock) }
/// // …once the sleep is registered (see <doc:TestingWithAsyncWait>):
/// await clock.advance(by: .seconds(1))   // task is cancelled; waiter throws TimeoutError
/// ```
///
/// Cancellation: as ``waitFor(_:timeout:)``. If `clock`'s `sleep` throws an error of its own,
/// `waitFor` rethrows it without cancelling the task.
///
/// - Parameters:
///   - task: A running task.
///   - timeout: How long to wait at most on `clock`; `nil` for no limit.
///   - clock: The clock that measures `timeout`.
/// - Returns: The task's value.
/// - Throws: The task's error, ``TimeoutError``, `CancellationError`, the clock's error, or
///   ``WaitError/waitsOnItself`` if `task` is the calling task.
public func waitFor<Success, Failure, C: Clock>(
    _ task: Task<Success, Failure>, timeout: C.Duration?, clock: C
) async throws -> Success {
    try checkNotWaitingOnItself(CollectionOfOne(task))
    let snapshot = await WaitOperation.run([task], condition: .allCompleted, limit: WaitLimit(timeout: timeout, clock: clock))
    switch snapshot.exit {
    case .conditionMet:
        return try await task.value
    case .interrupted(.clockFailed(let error)):
        throw error
    case .interrupted(.timedOut):
        return try await cancelAndSettle(task, replacingCancellationWith: TimeoutError())
    case .interrupted(.cancelled):
        return try await cancelAndSettle(task, replacingCancellationWith: CancellationError())
    }
}

/// Cancels `task`, waits until it has finished, and returns its value; a `CancellationError`
/// it ended with becomes `error`, any other error is rethrown.
func cancelAndSettle<Success, Failure>(
    _ task: Task<Success, Failure>, replacingCancellationWith error: some Error
) async throws -> Success {
    task.cancel()
    switch await task.result {
    case .success(let value): return value
    case .failure(let failure): throw failure is CancellationError ? error : failure
    }
}
