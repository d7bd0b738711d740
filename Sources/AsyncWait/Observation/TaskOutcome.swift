/// How a watched task ended, as far as the return conditions care.
@usableFromInline
enum TaskOutcome: Sendable, Hashable {
    /// The task returned a value.
    case returned
    /// The task threw an error other than `CancellationError`.
    case failed
    /// The task threw `CancellationError`.
    case cancelled

    @inlinable
    init<Success, Failure>(_ result: Result<Success, Failure>) {
        switch result {
        case .success: self = .returned
        case .failure(let error): self = error is CancellationError ? .cancelled : .failed
        }
    }
}

/// Something that wants to hear when a task finishes: a pending `wait`, an `asCompleted`
/// iteration, a `TaskSet`.
///
/// `taskDidFinish` is called at most once per registration, never while a lock of ours is held,
/// and possibly after the observer has deregistered (it must ignore late calls).
protocol CompletionObserver: AnyObject, Sendable {
    func taskDidFinish(slot: Int, outcome: TaskOutcome)
}
