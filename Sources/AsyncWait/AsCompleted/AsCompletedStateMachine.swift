/// The state of one `asCompleted` iteration: tasks seen to finish but not yet yielded, and
/// whether the consumer is suspended in `next()`.
///
/// A plain value; ``AsCompletedStorage`` keeps it behind a `Mutex` and acts outside the lock.
struct AsCompletedStateMachine: ~Copyable {
    /// What resumes a suspended `next()`.
    enum Wakeup: Sendable {
        case finished(slot: Int)
        case interrupted(WaitStateMachine.Interrupt)
    }

    typealias Continuation = AsyncWaitContinuation<Wakeup>

    private enum State {
        /// The consumer is not suspended; finished slots queue up in `ready`. An interrupt that
        /// arrives now (a timer firing, or a cancellation just before `next()` suspends) is kept
        /// for the next suspension.
        case idle(WaitStateMachine.Interrupt?)
        /// The consumer is suspended in `next()` and `ready` is empty.
        case waiting(Continuation)
        /// The iteration ended (all yielded, timed out, cancelled, or dropped).
        case ended
    }

    private var state: State = .idle(nil)
    /// Finished slots not yet yielded, first finished first (a FIFO of `ready[head...]`).
    private var ready: [Int] = []
    private var head = 0
    /// Tasks not yet yielded.
    private(set) var remaining: Int

    init(total: Int) { remaining = total }

    enum FinishedAction {
        case none
        case resume(Continuation, Wakeup)
    }

    /// O(1): a task finished.
    mutating func taskFinished(slot: Int) -> FinishedAction {
        switch state {
        case .ended:
            return .none
        case .idle:
            ready.append(slot)
            return .none
        case .waiting(let continuation):
            state = .idle(nil)
            remaining -= 1
            return .resume(continuation, .finished(slot: slot))
        }
    }

    enum NextAction {
        case yield(slot: Int)
        case end
        case suspend
    }

    /// O(1) amortized: the consumer asks for the next task.
    mutating func next() -> NextAction {
        switch state {
        case .ended:
            return .end
        case .waiting:
            preconditionFailure("Internal inconsistency: concurrent next() on one iterator")
        case .idle:
            if head < ready.count {
                let slot = ready[head]
                head += 1
                if head == ready.count { ready.removeAll(keepingCapacity: true); head = 0 }
                remaining -= 1
                return .yield(slot: slot)
            }
            if remaining == 0 {
                state = .ended
                return .end
            }
            return .suspend
        }
    }

    enum SuspendAction {
        case resumeNow(Wakeup)
        case suspended
    }

    mutating func suspend(_ continuation: Continuation) -> SuspendAction {
        switch state {
        case .ended:
            return .resumeNow(.interrupted(.cancelled))
        case .waiting:
            preconditionFailure("Internal inconsistency: suspended twice")
        case .idle(let interrupt):
            if head < ready.count {
                // A task finished between `next()` and `suspend`.
                switch next() {
                case .yield(let slot): return .resumeNow(.finished(slot: slot))
                case .end, .suspend: preconditionFailure("Internal inconsistency: ready slot vanished")
                }
            }
            if let interrupt {
                state = .idle(nil)
                return .resumeNow(.interrupted(interrupt))
            }
            state = .waiting(continuation)
            return .suspended
        }
    }

    /// A timeout, the consumer's cancellation, or a clock failure, while suspended or not.
    mutating func interrupt(_ interrupt: WaitStateMachine.Interrupt) -> FinishedAction {
        switch state {
        case .waiting(let continuation):
            state = .idle(nil)
            return .resume(continuation, .interrupted(interrupt))
        case .idle(nil):
            state = .idle(interrupt)
            return .none
        case .idle(.some), .ended:
            return .none  // the first interrupt wins
        }
    }

    /// Ends the iteration; later notifications and calls see `.ended`.
    mutating func end() {
        switch state {
        case .waiting:
            preconditionFailure("Internal inconsistency: ended while suspended")
        case .idle, .ended:
            state = .ended
            ready = []
            head = 0
        }
    }
}
