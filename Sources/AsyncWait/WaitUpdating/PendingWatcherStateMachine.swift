/// The state of a ``PendingWatcher``: which of its tasks finished since the caller last took
/// them, and whether a call is registering, suspended, or between calls.
///
/// Unlike ``WaitStateMachine``, it outlives a call: registrations stay in place between calls,
/// so each call costs only what finished.
struct PendingWatcherStateMachine: ~Copyable {
    private enum Phase {
        /// No call in progress; completions queue up.
        case idle
        /// A call is looking; an interrupt that arrives now is kept.
        case calling(WaitStateMachine.Interrupt?)
        /// The call is suspended until `condition` holds over `total` tasks, or an interrupt.
        case waiting(WaitContinuation, ReturnWhen, total: Int)
        /// The call was resumed; later interrupts are ignored until it ends.
        case resumed(WaitStateMachine.Exit)
    }

    private var phase: Phase = .idle
    /// Finished and not yet taken by the caller, in completion order.
    private var finished: [Int] = []
    private var succeeded = 0
    private var failed = 0
    /// Registrations whose task has not finished yet.
    private(set) var unfinished: Int

    init(registered: Int) { unfinished = registered }

    private func isSatisfied(_ condition: ReturnWhen, total: Int) -> Bool {
        condition.isSatisfied(total: total, completed: finished.count, succeeded: succeeded, failed: failed)
    }

    enum FinishedAction {
        case none
        case resume(WaitContinuation)
        /// Between calls, the last watched task finished: the watcher can go.
        case discard
    }

    mutating func taskFinished(slot: Int, outcome: TaskOutcome) -> FinishedAction {
        unfinished -= 1
        finished.append(slot)
        switch outcome {
        case .returned: succeeded += 1
        case .failed: failed += 1
        case .cancelled: break
        }
        if case .idle = phase, unfinished == 0 { return .discard }
        guard case .waiting(let continuation, let condition, let total) = phase, isSatisfied(condition, total: total) else {
            return .none
        }
        phase = .resumed(.conditionMet)
        return .resume(continuation)
    }

    mutating func beginCall() {
        switch phase {
        case .idle: phase = .calling(nil)
        case .calling, .waiting, .resumed: preconditionFailure("Internal inconsistency: two calls on one watcher")
        }
    }

    enum SuspendAction {
        case resumeNow
        case suspend
    }

    mutating func suspend(_ continuation: WaitContinuation, _ condition: ReturnWhen, total: Int) -> SuspendAction {
        switch phase {
        case .calling(let interrupt?):
            phase = .resumed(.interrupted(interrupt))
            return .resumeNow
        case .calling(nil):
            if isSatisfied(condition, total: total) {
                phase = .resumed(.conditionMet)
                return .resumeNow
            }
            phase = .waiting(continuation, condition, total: total)
            return .suspend
        case .idle, .waiting, .resumed:
            preconditionFailure("Internal inconsistency: suspended outside a call")
        }
    }

    mutating func interrupt(_ interrupt: WaitStateMachine.Interrupt) -> FinishedAction {
        switch phase {
        case .calling(nil):
            phase = .calling(interrupt)
            return .none
        case .waiting(let continuation, _, _):
            phase = .resumed(.interrupted(interrupt))
            return .resume(continuation)
        case .idle, .calling(.some), .resumed:
            return .none
        }
    }

    /// Ends the call. Returns why, and the finished slots if the caller takes them (not when
    /// interrupted by cancellation or a clock failure: nothing is taken then).
    mutating func endCall() -> (exit: WaitStateMachine.Exit, taken: [Int]) {
        let exit: WaitStateMachine.Exit
        switch phase {
        case .resumed(let resumedExit): exit = resumedExit
        case .calling(let interrupt?): exit = .interrupted(interrupt)
        case .calling(nil): exit = .conditionMet
        case .idle, .waiting: preconditionFailure("Internal inconsistency: ended outside a call")
        }
        phase = .idle
        switch exit {
        case .conditionMet, .interrupted(.timedOut):
            defer { finished = []; succeeded = 0; failed = 0 }
            return (exit, finished)
        case .interrupted(.cancelled), .interrupted(.clockFailed):
            return (exit, [])
        }
    }
}
