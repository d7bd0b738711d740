/// Yields tasks in the order they finish: `asyncio.as_completed` (the 3.13 `async for` form).
///
/// ```swift
/// for try await task in asCompleted([task1, task2, task3], timeout: .seconds(10)) {
///     print(try await task.value)   // finished: no suspension
/// }
/// ```
///
/// ## Elements
/// The input tasks themselves, each finished, in completion order; tasks that had already
/// finished come first, in input order. Duplicates collapse. Empty input ends at once, with no
/// error, whatever the timeout.
///
/// ## Timeout
/// The timeout starts when `asCompleted` is called (CPython 3.13). When it passes, the iteration
/// throws ``TimeoutError`` once, then ends; the remaining tasks are not cancelled. With a zero
/// or negative timeout, the tasks already finished are yielded first, then ``TimeoutError``.
///
/// ## Cancellation
/// If the consuming task is cancelled, the next call to `next()` (or the one suspended) throws
/// `CancellationError` promptly, even when finished tasks are waiting to be yielded; the tasks
/// are not cancelled. Leaving the loop early removes every registration the iteration made.
///
/// - Complexity: O(*n*) to start for *n* distinct tasks, then O(1) per completion.
///
/// - Parameters:
///   - tasks: Running tasks; never cancelled by the iteration.
///   - timeout: How long the whole iteration may take, on `ContinuousClock`; `nil` for no limit.
/// - Returns: An asynchronous sequence of the tasks in completion order.
@inlinable
public func asCompleted<Success, Failure>(
    _ tasks: some Sequence<Task<Success, Failure>>, timeout: Duration? = nil
) -> AsCompleted<Success, Failure, ContinuousClock> {
    asCompleted(tasks, timeout: timeout, clock: ContinuousClock())
}

/// Yields tasks in the order they finish, with the timeout measured on `clock`.
///
/// The same as ``asCompleted(_:timeout:)`` on any `Clock`.
///
/// ```swift
/// let clock = TestClock()
/// let order = Task {
///     var names: [Int] = []
///     for try await task in asCompleted(tasks, timeout: .seconds(5), clock: clock) { names.append(await task.value) }
///     return names
/// }
/// ```
///
/// Cancellation: as ``asCompleted(_:timeout:)``.
///
/// - Parameters:
///   - tasks: Running tasks; never cancelled by the iteration.
///   - timeout: How long the whole iteration may take, on `clock`; `nil` for no limit.
///   - clock: The clock that measures `timeout`, starting now.
/// - Returns: An asynchronous sequence of the tasks in completion order.
@inlinable
public func asCompleted<Success, Failure, C: Clock>(
    _ tasks: some Sequence<Task<Success, Failure>>, timeout: C.Duration?, clock: C
) -> AsCompleted<Success, Failure, C> {
    // Inlinable so that removing duplicates and starting the observers run specialized for
    // the caller's task type.
    let deadline: C.Instant?? = timeout.map { $0 > .zero ? clock.now.advanced(by: $0) : nil }
    var seen = Set<Task<Success, Failure>>()
    let unique = tasks.filter { seen.insert($0).inserted }
    // Observers start now (they are shared, and end with their tasks); registrations with
    // them wait for the first `next()`.
    let records = unique.map { CompletionRegistry.record(for: $0) }
    return AsCompleted(tasks: unique, records: records, deadline: deadline, clock: clock)
}

/// The asynchronous sequence returned by ``asCompleted(_:timeout:)``: the input tasks in the
/// order they finish.
///
/// Each iterator watches the tasks independently; an iterator that is dropped removes its
/// registrations. Iterating never cancels a task.
///
/// ```swift
/// for try await task in asCompleted(tasks) { print(await task.result) }
/// ```
public struct AsCompleted<Success: Sendable, TaskFailure: Error, C: Clock>: AsyncSequence, Sendable {
    /// A finished input task: read its result with `await task.result`, which does not suspend.
    public typealias Element = Task<Success, TaskFailure>
    /// ``TimeoutError``, `CancellationError`, or a failing clock's error; never a task's error.
    public typealias Failure = any Error

    @usableFromInline let tasks: [Task<Success, TaskFailure>]
    @usableFromInline let records: [CompletionRecord]
    /// `nil`: no limit; `.some(nil)`: already expired; `.some(instant)`: the deadline.
    @usableFromInline let deadline: C.Instant??
    @usableFromInline let clock: C

    @usableFromInline
    init(tasks: [Task<Success, TaskFailure>], records: [CompletionRecord], deadline: C.Instant??, clock: C) {
        self.tasks = tasks
        self.records = records
        self.deadline = deadline
        self.clock = clock
    }

    /// Creates an iterator that registers with the tasks on its first `next()`.
    ///
    /// ```swift
    /// var iterator = asCompleted(tasks).makeAsyncIterator()
    /// let first = try await iterator.next()
    /// ```
    public func makeAsyncIterator() -> Iterator {
        Iterator(storage: AsCompletedStorage(tasks: tasks, records: records), deadline: deadline, clock: clock)
    }

    /// The iterator of ``AsCompleted``; dropping it removes its registrations.
    ///
    /// ```swift
    /// var iterator = asCompleted(tasks, timeout: .seconds(1)).makeAsyncIterator()
    /// while let task = try await iterator.next() { print(await task.result) }
    /// ```
    public struct Iterator: AsyncIteratorProtocol {
        /// Ends the storage when the last copy of the iterator goes away.
        final class Handle: Sendable {
            let storage: AsCompletedStorage<Success, TaskFailure>
            init(_ storage: AsCompletedStorage<Success, TaskFailure>) { self.storage = storage }
            deinit { storage.end() }
        }

        let handle: Handle
        let deadline: C.Instant??
        let clock: C

        init(storage: AsCompletedStorage<Success, TaskFailure>, deadline: C.Instant??, clock: C) {
            self.handle = Handle(storage)
            self.deadline = deadline
            self.clock = clock
        }

        /// The next task to finish; `nil` when all were yielded or the iteration ended.
        ///
        /// Throws ``TimeoutError`` once when the timeout passes, `CancellationError` if the
        /// consumer is cancelled.
        ///
        /// ```swift
        /// if let task = try await iterator.next() { print(await task.result) }
        /// ```
        public mutating func next() async throws -> Task<Success, TaskFailure>? {
            let limit: WaitLimit<C> =
                switch deadline {
                case .none: .none
                case .some(.none): .expired
                case .some(.some(let deadline)): WaitLimit(deadline: deadline, clock: clock)
                }
            return try await handle.storage.next(limit: limit)
        }
    }
}
