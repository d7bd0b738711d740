import AsyncWait

/// The tutorial's `APIError`: what `callAPI` throws when asked to fail.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String = "API failed") { self.message = message }
    public var description: String { "APIError(\(message))" }
}

/// Where a scenario writes its lines: `print` in the demo, a recorder in the tests.
public typealias Output = @Sendable (String) -> Void

/// The tutorial's `call_api`: prints `message`, sleeps `delay` on `clock`, then returns
/// `result` or throws ``APIError``.
public func callAPI<C: Clock>(
    _ message: String,
    result: Int = 100,
    delay: C.Duration,
    raiseException: Bool = false,
    clock: C,
    output: Output
) async throws -> Int {
    output(message)
    try await clock.sleep(for: delay)
    if raiseException { throw APIError(message) }
    return result
}

/// Starts `operation` as a task that runs synchronously up to its first suspension, so that
/// what it prints before suspending appears in creation order, on any number of threads.
public func startTask<Success: Sendable>(
    _ operation: sending @escaping @isolated(any) () async throws -> Success
) -> Task<Success, any Error> {
    if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
        return Task.immediate(operation: operation)
    } else {
        return Task(operation: operation)
    }
}
