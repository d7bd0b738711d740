import Synchronization

/// The shared state of a ``TaskSet``, referenced by the set and by each of its tasks (which
/// report their own completion: no observer task). The ``TaskSet`` object itself is referenced
/// only by its users, so that releasing it can cancel the tasks.
final class TaskSetCore<Success: Sendable, Failure: Error>: Sendable {
    typealias Machine = TaskSetStateMachine<Success, Failure>
    let state: Mutex<Machine>

    init(scoped: Bool) { state = Mutex(Machine(scoped: scoped)) }

    /// Starts a task of the set with `start`, which gets the function the task calls as its last
    /// step to report how it ended. Returns the error instead if the scope refuses new tasks.
    func spawn(
        _ start: (_ report: @escaping @Sendable (TaskOutcome, (any Error)?) -> Void) -> Task<Success, Failure>
    ) -> Swift.Result<Task<Success, Failure>, TaskSetError> {
        let id: Int
        switch state.withLock({ $0.reserve() }) {
        case .spawn(let reserved): id = reserved
        case .refuse(let error): return .failure(error)
        }
        let handle = start { [self] outcome, error in
            state.withLock { $0.finished(id: id, outcome: outcome, error: error) }.perform()
        }
        state.withLock { $0.attach(id: id, handle: handle) }.perform()
        return .success(handle)
    }

    func next() async throws -> Task<Success, Failure>? {
        switch state.withLock({ $0.next() }) {
        case .take(let handle): return handle
        case .empty: return nil
        case .suspend: break
        }
        let slot = ConsumerSlot()
        let wakeup = await withTaskCancellationHandler {
            await withAsyncWaitContinuation { (continuation: AsyncWaitContinuation<Machine.NextWakeup>) in
                let cancelled = slot.pendingInterrupt() != nil
                let (consumerID, effects) = state.withLock { $0.enqueueNext(continuation, isCancelled: cancelled) }
                effects.perform()
                if let late = slot.store(consumerID) { interruptConsumer(consumerID, late) }
            }
        } onCancel: {
            slot.interrupt(.cancelled, self)
        }
        switch wakeup {
        case .task(let handle): return handle
        case .empty: return nil
        case .cancelled: throw CancellationError()
        }
    }

    func interruptConsumer(_ id: Int, _ interrupt: WaitStateMachine.Interrupt) {
        state.withLock { $0.interruptConsumer(id: id, interrupt) }.perform()
    }

    func wait<C: Clock>(limit: WaitLimit<C>, returnWhen: ReturnWhen) async throws
        -> (done: Set<Task<Success, Failure>>, pending: Set<Task<Success, Failure>>)
    {
        try state.withLock { try $0.validate(returnWhen) }
        try Task.checkCancellation()
        let look: Bool
        switch limit {
        case .expired: look = true
        case .none, .deadline: look = false
        }
        switch state.withLock({ $0.wait(returnWhen, look: look) }) {
        case .split(let done, let pending): return (Set(done), pending)
        case .empty: return ([], [])
        case .suspend: break
        }
        let wakeup: Machine.WaitWakeup
        switch limit {
        case .none, .expired:
            wakeup = await suspendWait(returnWhen)
        case .deadline(let deadline, let clock):
            let consumer = ConsumerSlot()
            wakeup = await withTaskGroup(of: Void.self) { group in
                group.addTask(priority: .high) {
                    do {
                        try await clock.sleep(until: deadline, tolerance: nil)
                        consumer.interrupt(.timedOut, self)
                    } catch is CancellationError {
                    } catch {
                        consumer.interrupt(.clockFailed(error), self)
                    }
                }
                let wakeup = await suspendWait(returnWhen, slot: consumer)
                group.cancelAll()
                return wakeup
            }
        }
        switch wakeup {
        case .split(let done, let pending): return (Set(done), pending)
        case .interrupted(.cancelled): throw CancellationError()
        case .interrupted(.timedOut): preconditionFailure("Internal inconsistency: a timed-out wait gets its split")
        case .interrupted(.clockFailed(let error)): throw error
        }
    }

    private func suspendWait(_ returnWhen: ReturnWhen, slot: ConsumerSlot = ConsumerSlot()) async -> Machine.WaitWakeup {
        await withTaskCancellationHandler {
            await withAsyncWaitContinuation { (continuation: AsyncWaitContinuation<Machine.WaitWakeup>) in
                let pendingInterrupt = slot.pendingInterrupt()
                let (consumerID, effects) = state.withLock {
                    $0.enqueueWait(returnWhen, continuation, interrupt: pendingInterrupt)
                }
                effects.perform()
                if let late = slot.store(consumerID) { interruptConsumer(consumerID, late) }
            }
        } onCancel: {
            slot.interrupt(.cancelled, self)
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

    /// Where an interrupt finds the consumer it is for, whichever of the two comes first.
    final class ConsumerSlot: Sendable {
        private enum State { case unregistered(WaitStateMachine.Interrupt?), registered(Int) }
        private let state = Mutex<State>(.unregistered(nil))

        /// The interrupt that arrived before registration, if any.
        func pendingInterrupt() -> WaitStateMachine.Interrupt? {
            state.withLock { state in
                if case .unregistered(let interrupt) = state { return interrupt }
                return nil
            }
        }

        /// Records the consumer's id; returns an interrupt that raced in since `pendingInterrupt`.
        func store(_ id: Int) -> WaitStateMachine.Interrupt? {
            state.withLock { state in
                defer { state = .registered(id) }
                if case .unregistered(let interrupt?) = state { return interrupt }
                return nil
            }
        }

        func interrupt(_ interrupt: WaitStateMachine.Interrupt, _ core: TaskSetCore) {
            let id: Int? = state.withLock { state in
                switch state {
                case .registered(let id): return id
                case .unregistered(.some): return nil  // the first interrupt wins
                case .unregistered(.none): state = .unregistered(interrupt); return nil
                }
            }
            if let id { core.interruptConsumer(id, interrupt) }
        }
    }
}
