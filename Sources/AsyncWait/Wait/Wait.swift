/// Waits for tasks that are already running until a condition holds: Python's `asyncio.wait`.
///
/// **`wait` never throws on timeout and never cancels a task.** When the timeout passes first,
/// it returns normally with the split at that moment, and the tasks in `pending` keep running
/// for the next call. This is asyncio's rule, and the reason `wait` exists beside task groups:
/// a task group cannot return while its children run.
///
/// ```swift
/// var pending: Set = [task1, task2, task3]
/// while !pending.isEmpty {
///     let done: Set<Task<Int, any Error>>
///     (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
///     for task in done { print(try await task.value) }   // finished: no suspension
/// }
/// ```
///
/// ## Result
/// `done` holds every input task that had finished (returned, thrown, or ended by cancellation)
/// when `wait` returns, which may be more than the condition needed; `pending` holds the rest.
/// Read a finished task's result with `await task.value` or `await task.result`, which return
/// at once. Duplicates in the input collapse into one.
///
/// ## Timeout
/// `nil` waits without limit. A zero or negative timeout returns at once without sleeping,
/// with every task already known to have finished in `done`. Otherwise the timeout starts when
/// `wait` is called; when it passes first, `wait` returns normally.
///
/// ## Cancellation
/// If the calling task is cancelled, before or during the call, `wait` throws
/// `CancellationError` promptly, without waiting for the tasks and without cancelling them.
/// A caller already cancelled gets `CancellationError` even when every task has finished.
///
/// ## Empty input
/// Throws ``WaitError/emptyTaskSet`` (asyncio raises `ValueError`); checked before cancellation.
///
/// - Complexity: O(*n*) for *n* distinct tasks. The first call that sees a task starts one
///   small observer task for it (Swift's `Task` has no completion callback); later calls, from
///   any caller, share it, and it ends when the task ends. The registrations a call makes are
///   kept for the `pending` set it returns, so passing that set back, as the loop above does,
///   costs a copy of the set plus what finished; they go away when their tasks finish (at most
///   256 such sets are kept at once, oldest or abandoned first). To avoid even the copy, use
///   ``wait(updating:timeout:returnWhen:)``.
///
/// - Parameters:
///   - tasks: Tasks that are already running. `wait` starts nothing.
///   - timeout: How long to wait at most, on `ContinuousClock`; `nil` for no limit.
///   - returnWhen: When to return; ``ReturnWhen/allCompleted`` by default.
/// - Returns: The finished tasks and the rest.
/// - Throws: `CancellationError` if the caller is cancelled; ``WaitError`` for empty input or a
///   quorum out of range.
@inlinable
public func wait<Success, Failure>(
    _ tasks: some Sequence<Task<Success, Failure>>,
    timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) async throws -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>) {
    try await wait(tasks, timeout: timeout, returnWhen: returnWhen, clock: ContinuousClock())
}

/// Waits for tasks that are already running until a condition holds, timing out on `clock`.
///
/// The same as ``wait(_:timeout:returnWhen:)``, with the timeout measured on any `Clock`; tests
/// pass a test clock so that timeouts pass when the test says so.
///
/// ```swift
/// let clock = TestClock()
/// let waiter = Task { try await wait(tasks, timeout: .seconds(5), returnWhen: .allCompleted, clock: clock) }
/// // …once the sleep is registered (see <doc:TestingWithAsyncWait>):
/// await clock.advance(by: .seconds(5))
/// let (done, pending) = try await waiter.value   // the split at 5 s; nothing cancelled
/// ```
///
/// Cancellation: as ``wait(_:timeout:returnWhen:)``: `CancellationError` promptly, tasks untouched.
/// If `clock`'s `sleep` throws an error other than `CancellationError`, `wait` rethrows it after
/// removing its registrations; the tasks keep running.
///
/// - Parameters:
///   - tasks: Tasks that are already running. `wait` starts nothing.
///   - timeout: How long to wait at most on `clock`; `nil` for no limit.
///   - returnWhen: When to return; ``ReturnWhen/allCompleted`` by default.
///   - clock: The clock that measures `timeout`.
/// - Returns: The finished tasks and the rest.
/// - Throws: `CancellationError`, ``WaitError``, or the clock's own error.
@inlinable
public func wait<Success, Failure, C: Clock>(
    _ tasks: some Sequence<Task<Success, Failure>>,
    timeout: C.Duration?,
    returnWhen: ReturnWhen = .allCompleted,
    clock: C
) async throws -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>) {
    // Inlinable so that building the two sets, the part whose cost grows with the input, is
    // specialized for the caller's task type instead of running generic code.
    if let set = tasks as? Set<Task<Success, Failure>> {
        // The tutorial loop passes back the `pending` set the last call returned: the
        // registrations kept for it make the call cost a copy of the set, plus what finished.
        var pending = set
        let call = try await _waitInPlace(pending, timeout: timeout, returnWhen: returnWhen, clock: clock)
        let done = call.finish(&pending)
        return (done, pending)
    }
    let limit = WaitLimit(timeout: timeout, clock: clock)  // the timeout starts now
    var (unique, pending) = try validatedTasks(tasks, returnWhen: returnWhen)
    try Task.checkCancellation()
    let records = unique.map { CompletionRegistry.record(for: $0) }
    let call = try await _waitWatching(pending, tasks: unique, records: records, limit: limit, returnWhen: returnWhen)
    let done = call.finish(&pending)
    return (done, pending)
}

/// The distinct tasks, in first-seen order, and as a set, after checking the input.
@inlinable
func validatedTasks<Success, Failure>(
    _ tasks: some Sequence<Task<Success, Failure>>, returnWhen: ReturnWhen
) throws(WaitError) -> (unique: [Task<Success, Failure>], all: Set<Task<Success, Failure>>) {
    let capacity = tasks.underestimatedCount
    var seen = Set<Task<Success, Failure>>(minimumCapacity: capacity)
    var unique: [Task<Success, Failure>] = []
    unique.reserveCapacity(capacity)
    let current = CompletionRegistry.currentTaskKey()
    var waitsOnItself = false
    for task in tasks where seen.insert(task).inserted {
        unique.append(task)
        if CompletionRegistry.key(task) == current { waitsOnItself = true }
    }
    guard !unique.isEmpty else { throw .emptyTaskSet }
    try returnWhen.validate(taskCount: unique.count)
    if waitsOnItself { throw .waitsOnItself }
    return (unique, seen)
}

/// Throws ``WaitError/waitsOnItself`` if the calling task is one of `tasks`.
func checkNotWaitingOnItself<Success, Failure>(_ tasks: some Sequence<Task<Success, Failure>>) throws(WaitError) {
    guard let current = CompletionRegistry.currentTaskKey() else { return }
    for task in tasks where CompletionRegistry.key(task) == current { throw .waitsOnItself }
}

extension WaitSnapshot {
    /// Throws for a cancelled caller or a failing clock; a timeout is not an error for `wait`.
    func throwIfInterrupted() throws {
        switch exit {
        case .conditionMet, .interrupted(.timedOut): return
        case .interrupted(.cancelled): throw CancellationError()
        case .interrupted(.clockFailed(let error)): throw error
        }
    }
}
