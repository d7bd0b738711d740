/// The state of one `wait` call: which of its tasks have finished, and whether the caller is
/// registering, suspended, or gone.
///
/// A plain value; ``WaitOperation`` keeps it behind a `Mutex` and performs the returned actions
/// outside the lock.
struct WaitStateMachine: ~Copyable {
    typealias Interrupt = WaitInterrupt

    /// Why `wait` returns.
    enum Exit {
        case conditionMet
        case interrupted(Interrupt)
    }

    private enum State {
        /// Registering with the tasks' records; an interrupt that arrives now is kept.
        case registering(Interrupt?)
        /// Suspended until the condition is met or an interrupt arrives.
        case waiting(WaitContinuation)
        /// Resumed (or returned without suspending); later events are ignored.
        case resumed(Exit)
    }

    let total: Int
    let condition: ReturnWhen
    private var state: State = .registering(nil)
    /// How each slot's task ended; `nil` while it runs.
    private(set) var outcomes: [TaskOutcome?]
    /// Slots in the order their tasks were seen to finish.
    private(set) var finishedSlots: [Int] = []
    private var succeeded = 0
    private var failed = 0

    init(total: Int, condition: ReturnWhen) {
        self.total = total
        self.condition = condition
        self.outcomes = Array(repeating: nil, count: total)
    }

    var isConditionMet: Bool {
        condition.isSatisfied(total: total, completed: finishedSlots.count, succeeded: succeeded, failed: failed)
    }

    enum ResumeAction {
        case none
        case resume(WaitContinuation)
    }

    mutating func taskFinished(slot: Int, outcome: TaskOutcome) -> ResumeAction {
        switch state {
        case .resumed:
            return .none  // a late notification after the caller has gone
        case .registering, .waiting:
            break
        }
        precondition(outcomes[slot] == nil, "Internal inconsistency: a slot finished twice")
        outcomes[slot] = outcome
        finishedSlots.append(slot)
        switch outcome {
        case .returned: succeeded += 1
        case .failed: failed += 1
        case .cancelled: break
        }
        guard case .waiting(let continuation) = state, isConditionMet else { return .none }
        state = .resumed(.conditionMet)
        return .resume(continuation)
    }

    enum SuspendAction {
        /// Resume `continuation` at once: the condition is met or an interrupt arrived.
        case resumeNow
        /// Stay suspended until an event resumes the continuation.
        case suspend
    }

    mutating func suspend(_ continuation: WaitContinuation) -> SuspendAction {
        switch state {
        case .registering(let interrupt?):
            state = .resumed(.interrupted(interrupt))
            return .resumeNow
        case .registering(nil):
            if isConditionMet {
                state = .resumed(.conditionMet)
                return .resumeNow
            }
            state = .waiting(continuation)
            return .suspend
        case .waiting, .resumed:
            preconditionFailure("Internal inconsistency: suspended twice")
        }
    }

    mutating func interrupt(_ interrupt: Interrupt) -> ResumeAction {
        switch state {
        case .registering(nil):
            state = .registering(interrupt)
            return .none
        case .registering(.some):
            return .none  // the first interrupt wins
        case .waiting(let continuation):
            state = .resumed(.interrupted(interrupt))
            return .resume(continuation)
        case .resumed:
            return .none
        }
    }

    /// Ends the call without suspending (condition met at registration, or a zero timeout), or
    /// after the continuation was resumed. Returns why.
    mutating func finish(timedOutIfUnmet: Bool) -> Exit {
        switch state {
        case .resumed(let exit):
            return exit
        case .registering(let interrupt?):
            state = .resumed(.interrupted(interrupt))
            return .interrupted(interrupt)
        case .registering(nil):
            let exit: Exit = isConditionMet || !timedOutIfUnmet ? .conditionMet : .interrupted(.timedOut)
            state = .resumed(exit)
            return exit
        case .waiting:
            preconditionFailure("Internal inconsistency: finished while suspended")
        }
    }
}

/// Why an operation stopped waiting before its condition was met.
@usableFromInline
enum WaitInterrupt: Sendable {
    case cancelled
    case timedOut
    case clockFailed(any Error)
}

typealias WaitContinuation = AsyncWaitContinuation<Void>

#if DEBUG
/// Checked in debug builds (tests), so a double or missing resume is reported.
@usableFromInline typealias AsyncWaitContinuation<T> = CheckedContinuation<T, Never>
#else
@usableFromInline typealias AsyncWaitContinuation<T> = UnsafeContinuation<T, Never>
#endif

@inlinable @inline(__always)
func withAsyncWaitContinuation<T>(_ body: (AsyncWaitContinuation<T>) -> Void) async -> T {
    #if DEBUG
    await withCheckedContinuation(body)
    #else
    await withUnsafeContinuation(body)
    #endif
}
