import Synchronization

/// When a wait gives up, expressed on the caller's clock.
@usableFromInline
enum WaitLimit<C: Clock>: Sendable {
    /// No limit.
    case none
    /// Already expired (a zero or negative timeout, or a deadline in the past): look, don't wait.
    case expired
    /// Wait until `deadline` on `clock`.
    case deadline(C.Instant, C)

    /// The limit for a relative timeout starting now. Never sleeps for a zero or negative time.
    @usableFromInline
    init(timeout: C.Duration?, clock: C) {
        guard let timeout else { self = .none; return }
        guard timeout > .zero else { self = .expired; return }
        guard !Self.isBeyondAnySleep(timeout) else { self = .none; return }
        self.init(deadline: clock.now.advanced(by: timeout), clock: clock)
    }

    /// The limit for an absolute deadline; one not in the future has already expired.
    init(deadline: C.Instant, clock: C) {
        let now = clock.now
        guard deadline > now else { self = .expired; return }
        self = Self.isBeyondAnySleep(now.duration(to: deadline)) ? .none : .deadline(deadline, clock)
    }

    /// Whether a time limit is so far away (over 146 billion years) that Swift's clocks cannot
    /// sleep until it: `ContinuousClock.sleep` traps for deadlines past `Int64.max` seconds.
    /// Such a limit is treated as no limit, which it is in practice.
    static func isBeyondAnySleep(_ duration: C.Duration) -> Bool {
        guard let duration = duration as? Swift.Duration else { return false }
        return duration > .seconds(Int64.max / 2)
    }
}

/// What a finished wait saw: why it returned, and which of its tasks had finished.
struct WaitSnapshot {
    let exit: WaitStateMachine.Exit
    /// How each slot's task ended; `nil` for those still running.
    let outcomes: [TaskOutcome?]
    /// Slots in the order their tasks were seen to finish.
    let finishedSlots: [Int]

}

/// One pending wait: registered with the ``CompletionRecord`` of each of its tasks, resumed
/// by whichever comes first of its condition, its deadline and its caller's cancellation.
final class WaitOperation: CompletionObserver {
    private let state: Mutex<WaitStateMachine>

    private init(total: Int, condition: ReturnWhen) {
        state = Mutex(WaitStateMachine(total: total, condition: condition))
    }

    func taskDidFinish(slot: Int, outcome: TaskOutcome) {
        let action = state.withLock { $0.taskFinished(slot: slot, outcome: outcome) }
        if case .resume(let continuation) = action { continuation.resume() }
    }

    func interrupt(_ interrupt: WaitStateMachine.Interrupt) {
        let action = state.withLock { $0.interrupt(interrupt) }
        if case .resume(let continuation) = action { continuation.resume() }
    }

    /// Waits until `condition` holds over the distinct `tasks`, `limit` passes, or the caller is
    /// cancelled; never cancels a task. Every registration made is removed before returning.
    static func run<Success, Failure, C: Clock>(
        _ tasks: [Task<Success, Failure>], condition: ReturnWhen, limit: WaitLimit<C>
    ) async -> WaitSnapshot {
        await run(records: tasks.map { CompletionRegistry.record(for: $0) }, condition: condition, limit: limit)
    }

    /// ``run(_:condition:limit:)`` over the records of distinct tasks (one record per task).
    static func run<C: Clock>(
        records: [CompletionRecord], condition: ReturnWhen, limit: WaitLimit<C>
    ) async -> WaitSnapshot {
        let operation = WaitOperation(total: records.count, condition: condition)
        let shouldRegister: Bool
        switch limit {
        case .expired: shouldRegister = false
        case .none, .deadline: shouldRegister = true
        }
        var registered = 0
        for slot in records.indices {
            let record = records[slot]
            if shouldRegister {
                switch record.register(operation, slot: slot) {
                case .registered: registered += 1
                case .alreadyFinished(let outcome): operation.taskDidFinish(slot: slot, outcome: outcome)
                }
            } else if let outcome = record.outcome {
                operation.taskDidFinish(slot: slot, outcome: outcome)
            }
        }

        let exit: WaitStateMachine.Exit
        switch limit {
        case .expired:
            exit = operation.state.withLock { $0.finish(timedOutIfUnmet: true) }
        case .none:
            exit = await operation.suspend()
        case .deadline(let deadline, let clock):
            exit = await withDeadlineTimer(deadline, clock: clock, interrupt: { operation.interrupt($0) }) {
                await operation.suspend()
            }
        }

        let (outcomes, finishedSlots) = operation.state.withLock { ($0.outcomes, $0.finishedSlots) }
        if registered > 0 {
            for slot in records.indices where outcomes[slot] == nil {
                records[slot].deregister(operation)
            }
        }
        return WaitSnapshot(exit: exit, outcomes: outcomes, finishedSlots: finishedSlots)
    }

    /// Suspends until the condition is met or an interrupt arrives; returns at once if either
    /// already happened. The caller's cancellation is an interrupt.
    private func suspend() async -> WaitStateMachine.Exit {
        await withTaskCancellationHandler {
            await withWaitContinuation { continuation in
                let action = state.withLock { $0.suspend(continuation) }
                switch action {
                case .resumeNow: continuation.resume()
                case .suspend: break
                }
            }
        } onCancel: {
            // May run before the continuation is stored: the state machine keeps the interrupt.
            interrupt(.cancelled)
        }
        return state.withLock { $0.finish(timedOutIfUnmet: false) }
    }
}

@inline(__always)
func withWaitContinuation(_ body: (WaitContinuation) -> Void) async {
    #if DEBUG
    await withCheckedContinuation(body)
    #else
    await withUnsafeContinuation(body)
    #endif
}
