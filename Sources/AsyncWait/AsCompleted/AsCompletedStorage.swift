import Synchronization

/// The registrations and state of one `asCompleted` iteration.
final class AsCompletedStorage<Success: Sendable, TaskFailure: Error>: CompletionObserver {
    private let tasks: [Task<Success, TaskFailure>]
    /// The tasks' records, one per slot.
    private let records: [CompletionRecord]
    private let state: Mutex<AsCompletedStateMachine>

    private enum Registration { case notYet, registered, removed }
    /// Changed only by the single consumer (`next()`, or the iterator's release).
    private nonisolated(unsafe) var registration = Registration.notYet

    init(tasks: [Task<Success, TaskFailure>], records: [CompletionRecord]) {
        self.tasks = tasks
        self.records = records
        self.state = Mutex(AsCompletedStateMachine(total: tasks.count))
    }

    func taskDidFinish(slot: Int, outcome: TaskOutcome) {
        let action = state.withLock { $0.taskFinished(slot: slot) }
        if case .resume(let continuation, let wakeup) = action { continuation.resume(returning: wakeup) }
    }

    func interrupt(_ interrupt: WaitStateMachine.Interrupt) {
        let action = state.withLock { $0.interrupt(interrupt) }
        if case .resume(let continuation, let wakeup) = action { continuation.resume(returning: wakeup) }
    }

    /// The next finished task; `nil` once all were yielded or the iteration ended.
    func next<C: Clock>(limit: WaitLimit<C>) async throws -> Task<Success, TaskFailure>? {
        if tasks.isEmpty { return nil }
        if state.withLock({ $0.remaining }) > 0, Task.isCancelled {
            end()
            throw CancellationError()
        }
        if case .notYet = registration {
            do { try checkNotWaitingOnItself(tasks) } catch { end(); throw error }
            register()
        }
        switch state.withLock({ $0.next() }) {
        case .yield(let slot): return tasks[slot]
        case .end: end(); return nil
        case .suspend: break
        }
        let wakeup: AsCompletedStateMachine.Wakeup
        switch limit {
        case .expired:
            end()
            throw TimeoutError()
        case .none:
            wakeup = await suspend()
        case .deadline(let deadline, let clock):
            wakeup = await withDeadlineTimer(deadline, clock: clock, interrupt: { self.interrupt($0) }) {
                await suspend()
            }
        }
        switch wakeup {
        case .finished(let slot): return tasks[slot]
        case .interrupted(.timedOut): end(); throw TimeoutError()
        case .interrupted(.cancelled): end(); throw CancellationError()
        case .interrupted(.clockFailed(let error)): end(); throw error
        }
    }

    private func suspend() async -> AsCompletedStateMachine.Wakeup {
        await withTaskCancellationHandler {
            await withAsyncWaitContinuation { continuation in
                switch state.withLock({ $0.suspend(continuation) }) {
                case .resumeNow(let wakeup): continuation.resume(returning: wakeup)
                case .suspended: break
                }
            }
        } onCancel: {
            interrupt(.cancelled)
        }
    }

    private func register() {
        registration = .registered
        for slot in records.indices {
            if case .alreadyFinished(let outcome) = records[slot].register(self, slot: slot) {
                taskDidFinish(slot: slot, outcome: outcome)
            }
        }
    }

    /// Ends the iteration and removes every registration it made. Idempotent.
    func end() {
        state.withLock { $0.end() }
        let wasRegistered = if case .registered = registration { true } else { false }
        registration = .removed
        if wasRegistered { for record in records { record.deregister(self) } }
    }
}
