/// A set of tasks that AsyncWait starts and owns, consumed in completion order: tokio's
/// `JoinSet`, with asyncio's `wait` over its tasks.
///
/// Because the set spawns its tasks, each task reports its own completion: no observer task,
/// O(1) per completion. Use it instead of plain `Task` handles when you start the work yourself.
///
/// ```swift
/// let set = TaskSet<Int, any Error>()
/// for i in 1...3 { set.spawn { try await callAPI("calling API \(i)...", result: i, delay: .seconds(i)) } }
/// while let result = try await set.nextResult() {
///     print(try result.get())   // 1, 2, 3, in completion order
/// }
/// ```
///
/// ## Taking tasks out
/// ``next()``, ``nextResult()`` and ``wait(timeout:returnWhen:)`` take finished tasks out of the
/// set. Several callers may consume one set concurrently: each finished task goes to exactly one
/// of them, oldest caller first.
///
/// ## Releasing the set cancels its tasks
/// When the last reference to a `TaskSet` goes away, every task still running in it is cancelled
/// (tokio's abort-on-drop). Keep the set alive for as long as its tasks should run.
///
/// ## Cancellation
/// A caller cancelled while waiting in ``next()`` or ``wait(timeout:returnWhen:)`` gets
/// `CancellationError`; nothing is taken out and no task is cancelled. ``cancelAll()`` cancels
/// the tasks.
///
/// - Complexity: `spawn`, `next()`, `nextResult()` and each completion are O(1); `wait` is
///   O(*k*) for *k* tasks taken out, and shares `pending` with the set instead of copying it
///   (the set builds `pending` at its first `wait`, once, and keeps it up to date from then on).
public final class TaskSet<Success: Sendable, Failure: Error>: Sendable {
    // The per-task operations are `@inlinable`, so that they are specialised in the caller's
    // module for its `Success` and `Failure`: generic code run unspecialised spends most of its
    // time looking up type metadata.
    @usableFromInline let core: TaskSetCore<Success, Failure>

    /// Creates an empty set.
    ///
    /// ```swift
    /// let set = TaskSet<String, Never>()
    /// ```
    public init() { core = TaskSetCore(scoped: false) }

    init(scoped: Bool) { core = TaskSetCore(scoped: scoped) }

    deinit { core.cancelAll() }

    /// The next task to finish, in completion order, taken out of the set; `nil` once the set
    /// is empty.
    ///
    /// ```swift
    /// while let task = try await set.next() { print(await task.result) }
    /// ```
    ///
    /// Throws `CancellationError` if the caller is cancelled while waiting; nothing is taken out.
    /// - Complexity: O(1).
    @inlinable
    public func next() async throws -> Task<Success, Failure>? {
        try await core.next()?.handle
    }

    /// The result of the next task to finish, taken out of the set; `nil` once the set is empty
    /// (tokio's `join_next`).
    ///
    /// ```swift
    /// while let result = try await set.nextResult() { print(result) }
    /// ```
    ///
    /// Throws `CancellationError` if the caller is cancelled while waiting; nothing is taken out.
    /// - Complexity: O(1).
    @inlinable
    public func nextResult() async throws -> Result<Success, Failure>? {
        try await core.next()?.result
    }

    /// `asyncio.wait` over the set's tasks: `done` are taken out of the set, `pending` stay in it.
    ///
    /// ```swift
    /// while !set.isEmpty {
    ///     let (done, _) = try await set.wait(returnWhen: .firstCompleted)
    ///     for task in done { print(await task.result) }
    /// }
    /// ```
    ///
    /// The same rules as ``AsyncWait/wait(_:timeout:returnWhen:)``: never throws on timeout,
    /// never cancels a task, `CancellationError` for a cancelled caller (nothing taken out),
    /// ``WaitError/emptyTaskSet`` for an empty set. Tasks finishing meanwhile count too.
    ///
    /// `pending` shares storage with the set: the loop above, which drops it, costs O(1) for it
    /// (amortised: the first call on a set builds it); a caller who keeps the copy across calls
    /// pays a copy of every pending handle per call.
    ///
    /// - Parameters:
    ///   - timeout: How long to wait at most, on `ContinuousClock`; `nil` for no limit.
    ///   - returnWhen: When to return; ``ReturnWhen/allCompleted`` by default.
    /// - Returns: The tasks taken out, and those still in the set.
    @inlinable
    public func wait(
        timeout: Duration? = nil, returnWhen: ReturnWhen = .allCompleted
    ) async throws -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>) {
        guard let timeout else { return try await core.wait(returnWhen: returnWhen) }
        return try await wait(timeout: timeout, returnWhen: returnWhen, clock: ContinuousClock())
    }

    /// ``wait(timeout:returnWhen:)`` with the timeout measured on `clock`.
    ///
    /// ```swift
    /// let (done, pending) = try await set.wait(timeout: .seconds(1), returnWhen: .firstCompleted, clock: testClock)
    /// ```
    ///
    /// Cancellation: `CancellationError`, nothing taken out, no task cancelled.
    public func wait<C: Clock>(
        timeout: C.Duration?, returnWhen: ReturnWhen = .allCompleted, clock: C
    ) async throws -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>) {
        try await core.wait(limit: WaitLimit(timeout: timeout, clock: clock), returnWhen: returnWhen)
    }

    /// Tasks in the set, finished or not, not yet taken out.
    ///
    /// ```swift
    /// print(set.count)
    /// ```
    @inlinable
    public var count: Int { core.count }

    /// Whether the set holds no task.
    ///
    /// ```swift
    /// while !set.isEmpty { _ = try await set.next() }
    /// ```
    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// Cancels every task still running in the set; they stay in it until taken out.
    ///
    /// ```swift
    /// set.cancelAll()
    /// while let result = try await set.nextResult() { print(result) }   // mostly CancellationError
    /// ```
    public func cancelAll() { core.cancelAll() }
}

extension TaskSet where Failure == any Error {
    /// Starts `operation` as a new task owned by the set and returns its handle.
    ///
    /// ```swift
    /// set.spawn { try await fetch(url) }
    /// ```
    ///
    /// Inside a ``withTaskSet(of:isolation:body:)`` scope that has ended or is shutting down,
    /// `operation` never runs and the handle ends with ``TaskSetError``.
    /// Cancellation: the task is cancelled by ``cancelAll()``, by releasing the set, and by its
    /// scope; otherwise it runs to completion.
    @inlinable @discardableResult
    public func spawn(
        priority: TaskPriority? = nil,
        operation: sending @escaping @isolated(any) () async throws -> Success
    ) -> Task<Success, any Error> {
        let core = core
        switch core.reserve() {
        case .spawn(let slot):
            let task = Task(priority: priority) {
                do {
                    let value = try await operation()
                    core.finished(slot: slot, result: .success(value))
                    return value
                } catch {
                    core.finished(slot: slot, result: .failure(error))
                    throw error
                }
            }
            core.attach(slot: slot, handle: task)
            return task
        case .refuse(let error):
            return Task { throw error }
        }
    }
}

extension TaskSet where Failure == Never {
    /// Starts `operation` as a new task owned by the set and returns its handle.
    ///
    /// ```swift
    /// let set = TaskSet<Int, Never>()
    /// set.spawn { 42 }
    /// ```
    ///
    /// Cancellation: the task is cancelled by ``cancelAll()`` and by releasing the set.
    @inlinable @discardableResult
    public func spawn(
        priority: TaskPriority? = nil,
        operation: sending @escaping @isolated(any) () async -> Success
    ) -> Task<Success, Never> {
        let core = core
        switch core.reserve() {
        case .spawn(let slot):
            let task = Task(priority: priority) {
                let value = await operation()
                core.finished(slot: slot, result: .success(value))
                return value
            }
            core.attach(slot: slot, handle: task)
            return task
        case .refuse:
            preconditionFailure("Internal inconsistency: an unscoped set refused a task")
        }
    }
}
