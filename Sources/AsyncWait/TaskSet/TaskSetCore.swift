import Synchronization

/// The shared state of a ``TaskSet``, referenced by the set and by each of its tasks (which
/// report their own completion: no observer task). The ``TaskSet`` object itself is referenced
/// only by its users, so that releasing it can cancel the tasks.
///
/// The per-task path and `wait` are `@inlinable` (see ``TaskSetStateMachine``); the
/// initialiser is not: Swift 6.3.1 has crashed (ownership verifier, in CopyPropagation)
/// optimising an inlined initialiser that builds a `Mutex`, and a set is made once anyway.
@usableFromInline
final class TaskSetCore<Success: Sendable, Failure: Error>: Sendable {
    @usableFromInline typealias Machine = TaskSetStateMachine<Success, Failure>
    @usableFromInline let state: Mutex<Machine>

    @usableFromInline
    init(scoped: Bool) { state = Mutex(Machine(scoped: scoped)) }

    @inlinable
    var count: Int { state.withLock { $0.count } }

    // MARK: Spawning (the caller starts the task between reserve and attach)

    @inlinable
    func reserve() -> Machine.SpawnAction {
        state.withLock { $0.reserve() }
    }

    @inlinable
    func attach(slot: Int, handle: Task<Success, Failure>) {
        state.withLock { $0.attach(slot: slot, handle: handle) }.perform()
    }

    /// The task in `slot` ended with `result`: its last step before returning.
    @inlinable
    func finished(slot: Int, result: Result<Success, Failure>) {
        state.withLock { $0.finished(slot: slot, result: result) }.perform()
    }

    // MARK: Consumers

    /// The next finished task and its result, taken out; `nil` once the set is empty.
    @inlinable
    func next() async throws -> Machine.Finished? {
        let consumer: Int
        switch state.withLock({ $0.next() }) {
        case .take(let handle, let result): return (handle, result)
        case .empty: return nil
        case .suspend(let id): consumer = id
        }
        let wakeup = await withTaskCancellationHandler {
            await withAsyncWaitContinuation { (continuation: AsyncWaitContinuation<Machine.NextWakeup>) in
                state.withLock { $0.enqueueNext(consumer, continuation) }.perform()
            }
        } onCancel: {
            interruptConsumer(consumer, .cancelled)
        }
        switch wakeup {
        case .task(let handle, let result): return (handle, result)
        case .empty: return nil
        case .cancelled: throw CancellationError()
        }
    }

    @usableFromInline
    func interruptConsumer(_ id: Int, _ interrupt: WaitInterrupt) {
        state.withLock { $0.interruptConsumer(id: id, interrupt) }.perform()
    }

    /// `wait` with no time limit: the tutorial loop's call, specialised in the caller.
    @inlinable
    func wait(returnWhen: ReturnWhen) async throws
        -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>)
    {
        let consumer: Int
        switch try startWait(returnWhen, look: false) {
        case .split(let done, let pending): return (Set(done), pending)
        case .empty: return ([], [])
        case .suspend(let id): consumer = id
        }
        return try Self.split(await suspendWait(consumer, returnWhen))
    }

    func wait<C: Clock>(limit: WaitLimit<C>, returnWhen: ReturnWhen) async throws
        -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>)
    {
        let look: Bool
        switch limit {
        case .expired: look = true
        case .none, .deadline: look = false
        }
        let consumer: Int
        switch try startWait(returnWhen, look: look) {
        case .split(let done, let pending): return (Set(done), pending)
        case .empty: return ([], [])
        case .suspend(let id): consumer = id
        }
        switch limit {
        case .none, .expired:
            return try Self.split(await suspendWait(consumer, returnWhen))
        case .deadline(let deadline, let clock):
            let wakeup = await withDeadlineTimer(deadline, clock: clock) { interrupt in
                self.interruptConsumer(consumer, interrupt)
            } body: {
                await suspendWait(consumer, returnWhen)
            }
            return try Self.split(wakeup)
        }
    }

    /// `wait` before suspending: the checks (bad input first, then cancellation), then the
    /// split at once, or the consumer id to suspend under.
    @inlinable
    func startWait(_ returnWhen: ReturnWhen, look: Bool) throws -> Machine.WaitAction {
        try state.withLock { try $0.validate(returnWhen) }
        try Task.checkCancellation()
        return state.withLock { $0.wait(returnWhen, look: look) }
    }

    @inlinable
    func suspendWait(_ consumer: Int, _ returnWhen: ReturnWhen) async -> Machine.WaitWakeup {
        await withTaskCancellationHandler {
            await withAsyncWaitContinuation { (continuation: AsyncWaitContinuation<Machine.WaitWakeup>) in
                state.withLock { $0.enqueueWait(consumer, returnWhen, continuation) }.perform()
            }
        } onCancel: {
            interruptConsumer(consumer, .cancelled)
        }
    }

    @inlinable
    static func split(_ wakeup: Machine.WaitWakeup) throws
        -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>)
    {
        switch wakeup {
        case .split(let done, let pending): return (Set(done), pending)
        case .interrupted(.cancelled): throw CancellationError()
        case .interrupted(.timedOut): preconditionFailure("Internal inconsistency: a timed-out wait gets its split")
        case .interrupted(.clockFailed(let error)): throw error
        }
    }

    /// Suspends until every task spawned into the set has reported its completion, including
    /// tasks spawned meanwhile. Not interruptible: the scope must not return before.
    func waitForDrain() async {
        await withAsyncWaitContinuation { (continuation: AsyncWaitContinuation<Void>) in
            if state.withLock({ $0.waitForDrain(continuation) }) { continuation.resume() }
        }
    }

    func cancelAll() {
        let handles = state.withLock { $0.runningHandles() }
        for handle in handles { handle.cancel() }
    }
}
