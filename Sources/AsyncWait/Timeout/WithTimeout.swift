/// Runs `operation` with a time limit, cancelling it when the limit passes: `asyncio.timeout`.
///
/// `operation` runs as a child task, so that it can be cancelled on expiry while the caller's own
/// task is not; nothing of it runs after `withTimeout` returns or throws.
///
/// ```swift
/// let page = try await withTimeout(.seconds(2)) {
///     try await fetchPage()
/// }
/// ```
///
/// ## Result and failure
/// Returns what `operation` returns. When the time limit passes first, `operation` is cancelled
/// and awaited; then ``TimeoutError`` is thrown if it ended by `CancellationError`, its value is
/// returned if it finished anyway, and any other error propagates unchanged. Errors the operation
/// throws before the limit propagate unchanged, including a ``TimeoutError`` from an inner scope:
/// an outer scope whose own limit did not pass leaves its operation uncancelled.
///
/// ## Timeout
/// Zero or negative: the operation still runs, but starts cancelled.
///
/// ## Cancellation
/// The caller's cancellation reaches `operation`; if it then ends by `CancellationError`, that is
/// what is thrown, even if the limit passed at the same moment.
///
/// - Parameters:
///   - timeout: How long `operation` may run, on `ContinuousClock`.
///   - operation: The work to limit.
/// - Returns: The operation's value.
/// - Throws: ``TimeoutError``, `CancellationError`, or the operation's own error.
public func withTimeout<T: Sendable>(
    _ timeout: Duration,
    operation: sending @escaping @isolated(any) () async throws -> T
) async throws -> T {
    try await withTimeout(timeout, clock: ContinuousClock(), operation: operation)
}

/// Runs `operation` with a time limit measured on `clock`: `asyncio.timeout` on any `Clock`.
///
/// The same as ``withTimeout(_:operation:)``; tests pass a test clock.
///
/// ```swift
/// let clock = TestClock()
/// let scope = Task { try await withTimeout(.seconds(1), clock: clock) { try await slowWork() } }
/// // …once the sleep is registered (see <doc:TestingWithAsyncWait>):
/// await clock.advance(by: .seconds(1))   // slowWork is cancelled; scope throws TimeoutError
/// ```
///
/// Cancellation: as ``withTimeout(_:operation:)``.
///
/// - Parameters:
///   - timeout: How long `operation` may run on `clock`.
///   - clock: The clock that measures `timeout`.
///   - operation: The work to limit.
/// - Returns: The operation's value.
/// - Throws: ``TimeoutError``, `CancellationError`, the operation's error, or the clock's error.
public func withTimeout<T: Sendable, C: Clock>(
    _ timeout: C.Duration, clock: C,
    operation: sending @escaping @isolated(any) () async throws -> T
) async throws -> T {
    try await runScope(limit: WaitLimit(timeout: timeout, clock: clock), operation: operation)
}

/// Runs `operation` until an absolute deadline on `clock`: `asyncio.timeout_at`.
///
/// The same as ``withTimeout(_:clock:operation:)`` with a deadline instead of a duration; close to
/// Swift Evolution's SE-0526 `withDeadline`, so moving to the standard library later is a rename.
///
/// ```swift
/// let deadline = ContinuousClock.now.advanced(by: .seconds(5))
/// let a = try await withDeadline(deadline, clock: .continuous) { try await stepOne() }
/// let b = try await withDeadline(deadline, clock: .continuous) { try await stepTwo(a) }
/// ```
///
/// A deadline already in the past cancels the operation at once; it still runs, cancelled.
/// Cancellation: as ``withTimeout(_:operation:)``.
///
/// - Parameters:
///   - deadline: When `operation` is cancelled.
///   - clock: The clock `deadline` belongs to.
///   - operation: The work to limit.
/// - Returns: The operation's value.
/// - Throws: ``TimeoutError``, `CancellationError`, the operation's error, or the clock's error.
public func withDeadline<T: Sendable, C: Clock>(
    _ deadline: C.Instant, clock: C,
    operation: sending @escaping @isolated(any) () async throws -> T
) async throws -> T {
    try await runScope(limit: WaitLimit(deadline: deadline, clock: clock), operation: operation)
}
