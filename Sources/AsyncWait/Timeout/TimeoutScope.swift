/// What the children of a timeout scope report to it.
private enum ScopeEvent<T: Sendable>: Sendable {
    case operationEnded(Result<T, any Error>)
    case deadlinePassed
    case timerStopped
    case clockFailed(any Error)
}

/// The body of ``withTimeout(_:clock:operation:)`` and ``withDeadline(_:clock:operation:)``:
/// the operation and a timer as two children of one task group, so both are structured.
func runScope<T: Sendable, C: Clock>(
    limit: WaitLimit<C>,
    operation: sending @escaping @isolated(any) () async throws -> T
) async throws -> T {
    // `operation` is `sending`: it is in no one else's region, and it moves into exactly one child.
    // The group's body closure cannot express that move, hence the box.
    let transfer = UncheckedTransfer(operation)
    return try await withThrowingTaskGroup(of: ScopeEvent<T>.self) { group in
        if case .expired = limit {
            group.cancelAll()  // before adding the operation, so that it starts cancelled
        }
        group.addTask {
            do { return .operationEnded(.success(try await transfer.value())) } catch { return .operationEnded(.failure(error)) }
        }
        // Why the operation was cancelled by us, if it was: its CancellationError becomes this.
        var expiry: (any Error)?
        switch limit {
        case .none:
            break
        case .expired:
            expiry = TimeoutError()
        case .deadline(let deadline, let clock):
            group.addTask(priority: .high) {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    return .deadlinePassed
                } catch is CancellationError {
                    return .timerStopped
                } catch {
                    return .clockFailed(error)
                }
            }
        }
        while let event = try await group.next() {
            switch event {
            case .operationEnded(let result):
                group.cancelAll()  // stops the timer
                if case .failure(let error) = result, error is CancellationError,
                   let expiry, !Task.isCancelled {  // the caller's own cancellation wins
                    throw expiry
                }
                return try result.get()
            case .deadlinePassed:
                expiry = TimeoutError()
                group.cancelAll()
            case .clockFailed(let error):
                expiry = error
                group.cancelAll()
            case .timerStopped:
                continue
            }
        }
        preconditionFailure("Internal inconsistency: the operation's child ended without a result")
    }
}

/// Moves a `sending` value into a child task where the compiler cannot follow the move.
struct UncheckedTransfer<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: consuming sending Value) { self.value = value }
    /// For a value the compiler cannot prove disconnected; the caller documents why it is.
    init(unchecked value: Value) { self.value = value }
}
