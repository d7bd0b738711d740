/// Waits for every task and returns each one's result in input order:
/// `asyncio.gather(..., return_exceptions=True)`.
///
/// ```swift
/// for result in try await gatherResults(tasks) {
///     switch result {
///     case .success(let value): print(value)
///     case .failure(let error): print("failed:", error)
///     }
/// }
/// ```
///
/// ## Result order
/// Results are in input order, whatever the completion order; a task given twice has its result
/// at both positions. A task that ended by cancellation appears as `.failure(CancellationError())`.
/// Empty input returns `[]` at once.
///
/// ## Failure policy
/// Task errors never make `gatherResults` throw: it waits for every task.
///
/// ## Cancellation
/// The only error it throws: if the caller is cancelled, every input task is cancelled,
/// `gatherResults` waits until they have all finished, then throws `CancellationError`.
///
/// - Parameter tasks: Running tasks.
/// - Returns: Their results, in input order.
/// - Throws: `CancellationError` only.
public func gatherResults<Success, Failure>(
    _ tasks: some Sequence<Task<Success, Failure>>
) async throws -> [Result<Success, any Error>] {
    let inputs = Array(tasks)
    guard !inputs.isEmpty else { return [] }
    let unique = try validatedTasks(inputs, returnWhen: .allCompleted).unique
    let snapshot = await WaitOperation.run(unique, condition: .allCompleted, limit: WaitLimit<ContinuousClock>.none)
    if case .interrupted = snapshot.exit { try await cancelAllAndSettle(unique) }
    var results: [Result<Success, any Error>] = []
    results.reserveCapacity(inputs.count)
    for task in inputs {
        results.append(await task.result.mapError { $0 as any Error })  // finished: no suspension
    }
    return results
}
