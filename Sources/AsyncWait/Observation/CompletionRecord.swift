import Synchronization

/// The one completion record of a watched task, shared by every AsyncWait operation watching it.
///
/// Swift's `Task` has no completion callback, so the first AsyncWait operation that watches a
/// task starts one small observer task that awaits it and then calls ``finish(_:)``. The record
/// lives in ``CompletionRegistry`` only while the task runs: once the task has finished and its
/// observers have been told, nothing of ours refers to it any more.
@usableFromInline
final class CompletionRecord: Sendable {
    private let state = Mutex(CompletionRecordStateMachine())

    /// Registers `observer` for `slot`, or reports that the task has already finished.
    func register(_ observer: any CompletionObserver, slot: Int) -> CompletionRecordStateMachine.RegisterAction {
        state.withLock { $0.register(.init(observer: observer, slot: slot)) }
    }

    func deregister(_ observer: any CompletionObserver) {
        let key = ObjectIdentifier(observer)
        state.withLock { $0.deregister(key) }
    }

    /// The outcome if the task is known to have finished.
    var outcome: TaskOutcome? { state.withLock { $0.outcome } }

    /// For tests: how many observers are registered.
    var registrationCount: Int { state.withLock { $0.registrationCount } }

    /// Called once, by the observer task, when the task has finished.
    func finish(_ outcome: TaskOutcome) {
        let action = state.withLock { $0.finish(outcome) }
        switch action {
        case .notifyNone:
            break
        case .notifyOne(let registration):
            registration.observer.taskDidFinish(slot: registration.slot, outcome: outcome)
        case .notifyMany(let registrations):
            for registration in registrations {
                registration.observer.taskDidFinish(slot: registration.slot, outcome: outcome)
            }
        }
    }
}
