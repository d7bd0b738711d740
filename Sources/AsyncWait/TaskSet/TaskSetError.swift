/// Why a ``TaskSet`` refused to start a task: asyncio's `RuntimeError` from a finished or
/// shutting-down `TaskGroup`.
///
/// The refused operation never runs; the handle `spawn` returned ends with this error, so
/// nothing is lost silently and nothing crashes.
///
/// ```swift
/// var escaped: TaskSet<Int, any Error>?
/// try await withTaskSet(of: Int.self) { set in escaped = set }
/// let late = escaped!.spawn { 1 }
/// await #expect(throws: TaskSetError.scopeEnded) { try await late.value }
/// ```
public enum TaskSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The ``withTaskSet(of:isolation:body:)`` scope had already returned.
    case scopeEnded
    /// The scope is shutting down after a failure or cancellation, and starts nothing new.
    case shuttingDown

    /// Why the task was not started, in one sentence.
    public var description: String {
        switch self {
        case .scopeEnded: "The task set's scope has ended: the task was not started."
        case .shuttingDown: "The task set is shutting down after a failure or cancellation: the task was not started."
        }
    }
}

/// Every failure of a ``withTaskSet(of:isolation:body:)`` scope: asyncio's `ExceptionGroup`.
///
/// `errors` are in the order the failures happened, the body's own error included. Tasks that
/// ended by `CancellationError` are not failures and do not appear.
///
/// ```swift
/// do {
///     try await withTaskSet(of: Int.self) { set in
///         set.spawn { throw APIError() }
///     }
/// } catch let group as TaskGroupError {
///     print(group.errors)   // [APIError()]
/// }
/// ```
public struct TaskGroupError: Error, Sendable, CustomStringConvertible {
    /// The failures, first first.
    ///
    /// ```swift
    /// let apiErrors = group.errors.compactMap { $0 as? APIError }
    /// ```
    public let errors: [any Error]

    /// Creates the error from failures in the order they happened.
    ///
    /// ```swift
    /// throw TaskGroupError(errors: [APIError()])
    /// ```
    public init(errors: [any Error]) { self.errors = errors }

    /// `TaskGroupError: N tasks failed: ` and each error.
    public var description: String {
        "TaskGroupError: \(errors.count) task\(errors.count == 1 ? "" : "s") failed: "
            + errors.map { String(describing: $0) }.joined(separator: ", ")
    }
}
