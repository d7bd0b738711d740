/// A time limit passed: asyncio's `TimeoutError`.
///
/// Thrown by ``waitFor(_:timeout:)`` when the task ended by cancellation after its timeout,
/// by ``withTimeout(_:operation:)`` and ``withDeadline(_:clock:operation:)`` when the operation
/// ended by cancellation after the deadline, and once by an ``asCompleted(_:timeout:)``
/// iteration whose timeout passed. ``wait(_:timeout:returnWhen:)`` never throws it.
///
/// ```swift
/// do {
///     let value = try await waitFor(task, timeout: .seconds(1))
/// } catch is TimeoutError {
///     print("gave up; the task was cancelled and has finished")
/// }
/// ```
public struct TimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Creates the error; for code that implements its own time limits.
    ///
    /// ```swift
    /// throw TimeoutError()
    /// ```
    public init() {}

    /// `The operation timed out.`
    public var description: String { "The operation timed out." }
}
