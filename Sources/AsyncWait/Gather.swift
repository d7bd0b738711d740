/// Waits for every task and returns their values in input order: `asyncio.gather`.
///
/// ```swift
/// let pages = try await gather([fetch(1), fetch(2), fetch(3)])   // [Page], in input order
/// ```
///
/// ## Result order
/// Values are in input order, whatever the completion order. A task given twice has its value
/// at both positions. Empty input returns `[]` at once.
///
/// ## Failure policy
/// The first task to fail makes `gather` throw that error at once; the other tasks are **not**
/// cancelled and keep running (asyncio's rule; use ``withTaskSet(of:isolation:body:)`` to cancel
/// siblings). An input that ends by cancellation makes `gather` throw `CancellationError`.
///
/// ## Cancellation
/// If the caller is cancelled, every input task is cancelled, `gather` waits until they have all
/// finished, then throws `CancellationError`.
///
/// - Parameter tasks: Running tasks.
/// - Returns: Their values, in input order.
/// - Throws: The first error a task throws, or `CancellationError`.
public func gather<Success, Failure>(_ tasks: some Sequence<Task<Success, Failure>>) async throws -> [Success] {
    let inputs = Array(tasks)
    guard !inputs.isEmpty else { return [] }
    let unique = try validatedTasks(inputs, returnWhen: .allCompleted).unique
    let snapshot = await WaitOperation.run(unique, condition: .firstUnsuccessful, limit: WaitLimit<ContinuousClock>.none)
    try await throwFirstFailure(unique, snapshot)
    var values: [Success] = []
    values.reserveCapacity(inputs.count)
    for task in inputs { values.append(try await task.value) }  // all finished: no suspension
    return values
}

/// Waits for every task of a heterogeneous list and returns their values as a tuple:
/// `asyncio.gather` with one type per argument.
///
/// ```swift
/// let (user, orders) = try await gather(Task { try await loadUser() }, Task { try await loadOrders() })
/// ```
///
/// Result order, failure policy and cancellation as ``gather(_:)->[Success]``:
/// the first error is thrown at once without cancelling the others; a cancelled caller cancels
/// every task, waits for them, and throws `CancellationError`.
///
/// - Parameter tasks: Running tasks.
/// - Returns: Their values, in argument order.
/// - Throws: The first error a task throws, or `CancellationError`.
public func gather<each Success>(_ tasks: repeat Task<each Success, any Error>) async throws -> (repeat each Success) {
    var seen = Set<ObjectIdentifier>()
    var distinct: [ErasedTask] = []
    let current = CompletionRegistry.currentTaskKey()
    for task in repeat each tasks {
        let key = CompletionRegistry.key(task)
        if key == current { throw WaitError.waitsOnItself }
        if seen.insert(key).inserted { distinct.append(ErasedTask(task)) }
    }
    if !distinct.isEmpty {
        let snapshot = await WaitOperation.run(
            records: distinct.map(\.record), condition: .firstUnsuccessful, limit: WaitLimit<ContinuousClock>.none)
        switch snapshot.exit {
        case .interrupted:
            for task in distinct { task.cancel() }
            for task in distinct { _ = await task.error() }
            throw CancellationError()
        case .conditionMet:
            if let slot = snapshot.finishedSlots.first(where: { snapshot.outcomes[$0] != .returned }) {
                throw await distinct[slot].error() ?? CancellationError()
            }
        }
    }
    return (repeat try await finishedValue(each tasks))
}

/// A task of any type, as far as waiting for it, cancelling it and reading its error go.
struct ErasedTask: Sendable {
    let record: CompletionRecord
    let cancel: @Sendable () -> Void
    /// Waits for the task; its error, or `nil` if it returned.
    let error: @Sendable () async -> (any Error)?

    init<Success, Failure>(_ task: Task<Success, Failure>) {
        record = CompletionRegistry.record(for: task)
        cancel = { task.cancel() }
        error = {
            if case .failure(let error) = await task.result { return error }
            return nil
        }
    }
}

/// The value of a finished task (a helper: the compiler cannot unwrap inside a pack expansion).
private func finishedValue<T>(_ task: Task<T, any Error>) async throws -> T {
    try await task.value
}

/// After a `.firstUnsuccessful` wait: throws the first failure in completion order, or, for a
/// cancelled caller, cancels every task, waits for them, and throws `CancellationError`.
func throwFirstFailure<Success, Failure>(_ tasks: [Task<Success, Failure>], _ snapshot: WaitSnapshot) async throws {
    switch snapshot.exit {
    case .interrupted:
        try await cancelAllAndSettle(tasks)
    case .conditionMet:
        guard let slot = snapshot.finishedSlots.first(where: { snapshot.outcomes[$0] != .returned }) else { return }
        if case .failure(let error) = await tasks[slot].result { throw error }
    }
}

/// For a cancelled caller: cancels every task, waits until all have finished, then throws
/// `CancellationError` (asyncio's gather).
func cancelAllAndSettle<Success, Failure>(_ tasks: [Task<Success, Failure>]) async throws -> Never {
    for task in tasks { task.cancel() }
    for task in tasks { _ = await task.result }
    throw CancellationError()
}
