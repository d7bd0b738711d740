/// `asyncio.wait` that updates the caller's `pending` set in place and returns only `done`:
/// the tutorial loop at O(finished) per call.
///
/// ```swift
/// var pending: Set = [task1, task2, task3]
/// while !pending.isEmpty {
///     let done = try await wait(updating: &pending, returnWhen: .firstCompleted)
///     for task in done { print(try await task.value) }
/// }
/// ```
///
/// `(done, pending) = try await wait(pending, ...)` must build a new `pending` while the caller
/// still holds the old one, so each call copies every pending handle. This form removes what
/// finished from the caller's set instead, and keeps its registrations with the tasks between
/// calls on the same set, so that a call costs only what finished: the loop above is O(*n*)
/// in total, not O(*n*²).
///
/// The semantics are those of ``wait(_:timeout:returnWhen:)``: `done` holds every task of
/// `pending` known to have finished, never throws on timeout, never cancels a task; empty
/// `pending` throws ``WaitError/emptyTaskSet``.
///
/// ## Changing the set between calls
/// Allowed. Any change (insert, remove, assignment) gives the set new storage, which AsyncWait
/// notices: the next call registers with the new set's tasks once (O(*n*)), then is fast again.
///
/// ## Cancellation
/// A cancelled caller gets `CancellationError` promptly; `pending` is left unchanged and no task
/// is cancelled. The registrations stay for the next call on the same set, and all of them go
/// away once their tasks have finished.
///
/// - Complexity: O(*k*) for *k* tasks that finished, after an O(*n*) first call on a set.
///
/// - Parameters:
///   - pending: The caller's tasks; finished ones are removed.
///   - timeout: How long to wait at most, on `ContinuousClock`; `nil` for no limit.
///   - returnWhen: When to return; ``ReturnWhen/allCompleted`` by default.
/// - Returns: The tasks removed from `pending` because they finished.
/// - Throws: `CancellationError`; ``WaitError`` for an empty set or a quorum out of range.
@inlinable
public func wait<Success, Failure>(
    updating pending: inout Set<Task<Success, Failure>>,
    timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) async throws -> Set<Task<Success, Failure>> {
    try await wait(updating: &pending, timeout: timeout, returnWhen: returnWhen, clock: ContinuousClock())
}

/// ``wait(updating:timeout:returnWhen:)`` with the timeout measured on `clock`.
///
/// ```swift
/// let done = try await wait(updating: &pending, timeout: .seconds(1), returnWhen: .firstCompleted, clock: testClock)
/// ```
///
/// Cancellation: `CancellationError`, `pending` unchanged, no task cancelled.
@inlinable
public func wait<Success, Failure, C: Clock>(
    updating pending: inout Set<Task<Success, Failure>>,
    timeout: C.Duration?,
    returnWhen: ReturnWhen = .allCompleted,
    clock: C
) async throws -> Set<Task<Success, Failure>> {
    let call = try await _waitInPlace(pending, timeout: timeout, returnWhen: returnWhen, clock: clock)
    return call.finish(&pending)
}

/// One finished call: the tasks to take out of the caller's set, and the watcher to keep for
/// the set that is left. Taking them out happens in the caller's inlinable code, so that the
/// copy of the set a call may need runs specialized for its task type.
@usableFromInline
struct _WaitCall<Success: Sendable, Failure: Error> {
    @usableFromInline let taken: [Task<Success, Failure>]
    @usableFromInline let watcher: AnyObject

    /// Removes the taken tasks from `pending`, keeps the watcher for what is left, and returns
    /// the tasks removed.
    @inlinable
    func finish(_ pending: inout Set<Task<Success, Failure>>) -> Set<Task<Success, Failure>> {
        var done = Set<Task<Success, Failure>>()
        if taken.count == pending.count {
            // Everything finished (`.allCompleted`, a teardown): hand over the set itself.
            swap(&done, &pending)
        } else {
            done.reserveCapacity(taken.count)
            for task in taken where pending.remove(task) != nil { done.insert(task) }
        }
        _keep(watcher, for: pending)
        return done
    }
}

/// Keeps `watcher` (a `PendingWatcher<Success, Failure>`) for the next call on `pending`.
@usableFromInline
func _keep<Success, Failure>(_ watcher: AnyObject, for pending: Set<Task<Success, Failure>>) {
    guard let watcher = watcher as? PendingWatcher<Success, Failure> else {
        preconditionFailure("Internal inconsistency: a watcher of another task type")
    }
    PendingWatcherRegistry.store(watcher, for: pending)
}

/// ``waitInPlace(_:limit:returnWhen:)`` for the inlinable `wait`.
@usableFromInline
func _waitInPlace<Success, Failure, C: Clock>(
    _ pending: Set<Task<Success, Failure>>, timeout: C.Duration?, returnWhen: ReturnWhen, clock: C
) async throws -> _WaitCall<Success, Failure> {
    try await waitInPlace(pending, limit: WaitLimit(timeout: timeout, clock: clock), returnWhen: returnWhen)
}

/// The core of ``wait(updating:timeout:returnWhen:clock:)``, also used by ``wait(_:timeout:returnWhen:clock:)``
/// when its input is a `Set` (as in the tutorial loop): finds which tasks of `pending` finished,
/// reusing the registrations kept for exactly this set by the last call.
func waitInPlace<Success, Failure, C: Clock>(
    _ pending: Set<Task<Success, Failure>>, limit: WaitLimit<C>, returnWhen: ReturnWhen
) async throws -> _WaitCall<Success, Failure> {
    guard !pending.isEmpty else { throw WaitError.emptyTaskSet }
    try returnWhen.validate(taskCount: pending.count)
    let current = CompletionRegistry.currentTaskKey()
    let kept = PendingWatcherRegistry.take(for: pending)
    // A kept watcher's set was checked for its caller, and can only have lost tasks since.
    if kept == nil || kept?.checkedFor != current {
        do {
            try checkNotWaitingOnItself(pending)
        } catch {
            if let kept { PendingWatcherRegistry.store(kept, for: pending) }
            throw error
        }
    }
    if Task.isCancelled {
        if let kept { PendingWatcherRegistry.store(kept, for: pending) }
        throw CancellationError()
    }
    let watcher = kept ?? PendingWatcher(watching: pending)
    watcher.checkedFor = current
    return try await wait(with: watcher, pending, limit: limit, returnWhen: returnWhen, keepAfterError: true)
}

/// The array form of ``wait(_:timeout:returnWhen:clock:)``: `pending` is the set of the distinct
/// `tasks` (already checked), `records` theirs, built by specialized inlinable code. The watcher
/// made here is kept for the `pending` set the call leaves, so that the caller's next call on it
/// (the tutorial loop, a teardown) costs only what finished.
@usableFromInline
func _waitWatching<Success, Failure, C: Clock>(
    _ pending: Set<Task<Success, Failure>>, tasks: [Task<Success, Failure>], records: [CompletionRecord],
    limit: WaitLimit<C>, returnWhen: ReturnWhen
) async throws -> _WaitCall<Success, Failure> {
    let watcher = PendingWatcher(tasks: tasks, records: records)
    watcher.checkedFor = CompletionRegistry.currentTaskKey()
    return try await wait(with: watcher, pending, limit: limit, returnWhen: returnWhen, keepAfterError: false)
}

/// One call on a watcher that watches exactly `pending`. On success the caller takes the tasks
/// out and keeps the watcher (``_WaitCall/finish(_:)``); on an error `pending` is unchanged.
private func wait<Success, Failure, C: Clock>(
    with watcher: PendingWatcher<Success, Failure>, _ pending: Set<Task<Success, Failure>>,
    limit: WaitLimit<C>, returnWhen: ReturnWhen, keepAfterError: Bool
) async throws -> _WaitCall<Success, Failure> {
    watcher.state.withLock { $0.beginCall() }

    let total = pending.count
    switch limit {
    case .expired:
        break
    case .none:
        await watcher.suspend(returnWhen, total: total)
    case .deadline(let deadline, let clock):
        await withDeadlineTimer(deadline, clock: clock, interrupt: { watcher.interrupt($0) }) {
            await watcher.suspend(returnWhen, total: total)
        }
    }

    let (exit, taken) = watcher.state.withLock { $0.endCall() }
    switch exit {
    case .conditionMet, .interrupted(.timedOut):
        return _WaitCall(taken: taken.map { watcher.tasks[$0] }, watcher: watcher)
    case .interrupted(.cancelled):
        if keepAfterError { PendingWatcherRegistry.store(watcher, for: pending) } else { watcher.deregisterAll() }
        throw CancellationError()
    case .interrupted(.clockFailed(let error)):
        if keepAfterError { PendingWatcherRegistry.store(watcher, for: pending) } else { watcher.deregisterAll() }
        throw error
    }
}
