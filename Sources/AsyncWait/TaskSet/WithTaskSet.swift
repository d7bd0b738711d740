/// Runs `body` with a ``TaskSet`` whose tasks all finish before it returns: asyncio's `TaskGroup`.
///
/// ```swift
/// let total = try await withTaskSet(of: Int.self) { set in
///     for i in 1...3 { set.spawn { try await callAPI("calling API \(i)...", result: i, delay: .seconds(i)) } }
///     var sum = 0
///     while let result = try await set.nextResult() { sum += try result.get() }
///     return sum
/// }
/// ```
///
/// ## Exit
/// After `body` returns, `withTaskSet` waits until every task spawned into the set has finished,
/// including tasks spawned meanwhile by other tasks. Nothing of it runs after it returns.
///
/// ## Failure policy
/// The first task to fail with an error other than `CancellationError` cancels every other task
/// and interrupts `body` (its current `await` sees cancellation). After everything finished,
/// ``TaskGroupError`` is thrown with every failure in the order they happened, the body's own
/// error included. Tasks that ended by cancellation are not failures. Spawning while the scope
/// shuts down, or after it ended, never runs the operation: the handle ends with ``TaskSetError``.
///
/// ## Cancellation
/// `body` runs in a child task, so that a failure can cancel it without leaving the caller's task
/// cancelled. If the caller is cancelled, every task and `body` are cancelled; `withTaskSet`
/// throws `CancellationError` after they finished, unless tasks failed (then ``TaskGroupError``).
///
/// - Parameters:
///   - successType: The type the tasks return.
///   - isolation: The caller's actor, inherited by default.
///   - body: Spawns tasks into the set and may consume them.
/// - Returns: What `body` returns.
/// - Throws: ``TaskGroupError``, `CancellationError`, or the body's `CancellationError`.
public func withTaskSet<Success: Sendable, Result>(
    of successType: Success.Type = Success.self,
    isolation: isolated (any Actor)? = #isolation,
    body: (TaskSet<Success, any Error>) async throws -> Result
) async throws -> Result {
    let set = TaskSet<Success, any Error>(scoped: true)
    let core = set.core
    let outcome = await withoutActuallyEscaping(body) { body in
        _ = isolation  // keeps this closure on the caller's actor, with `body`
        // The body runs in a child task that we await before returning; it is the only one
        // that touches `body` and the box until it ends.
        let transfer = UncheckedTransfer(unchecked: body)
        let box = ResultBox<Result>()
        let bodyTask = Task {
            do {
                box.result = .success(try await transfer.value(set))
            } catch {
                box.result = .failure(error)
                // Recorded by the body's own task, so it takes its place among the failures.
                core.state.withLock { $0.bodyFailed(error is CancellationError ? nil : error) }.perform()
            }
        }
        core.state.withLock { $0.setBody(bodyTask) }.perform()
        await withTaskCancellationHandler {
            await bodyTask.value
        } onCancel: {
            core.state.withLock { $0.callerCancelled() }.perform()
        }
        return box.result!
    }
    // Still waiting for the tasks: a caller cancelled now cancels them (asyncio's __aexit__).
    await withTaskCancellationHandler {
        await core.waitForDrain()
    } onCancel: {
        core.state.withLock { $0.callerCancelled() }.perform()
    }
    let errors = core.state.withLock { machine in
        machine.end()
        return machine.errors
    }
    if !errors.isEmpty { throw TaskGroupError(errors: errors) }
    if Task.isCancelled { throw CancellationError() }
    return try outcome.get()
}

/// Carries the body's result from its child task to the scope, which reads it after the child
/// ended (the task's completion orders the two accesses).
private final class ResultBox<Value>: @unchecked Sendable {
    var result: Swift.Result<Value, any Error>?
}
