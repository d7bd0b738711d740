/// The state of a ``TaskSet``: its running tasks, the finished ones not yet taken out, the
/// consumers waiting in `next()` or `wait`, and, for ``withTaskSet(of:body:)``, the scope.
///
/// A plain value; ``TaskSetCore`` keeps it behind a `Mutex` and performs the returned actions
/// (resuming continuations, cancelling tasks) outside the lock.
struct TaskSetStateMachine<Success: Sendable, Failure: Error>: ~Copyable {
    typealias Handle = Task<Success, Failure>

    /// What a waiting `next()` receives.
    enum NextWakeup: Sendable {
        case task(Handle)
        case empty
        case cancelled
    }

    /// What a waiting `wait` receives.
    enum WaitWakeup: Sendable {
        case split(done: [Handle], pending: Set<Handle>)
        case interrupted(WaitStateMachine.Interrupt)
    }

    enum Consumer {
        case next(id: Int, AsyncWaitContinuation<NextWakeup>)
        case wait(id: Int, ReturnWhen, AsyncWaitContinuation<WaitWakeup>)

        var id: Int {
            switch self {
            case .next(let id, _), .wait(let id, _, _): id
            }
        }
    }

    /// The lifecycle of a ``withTaskSet(of:body:)`` scope; `.unscoped` for a plain set.
    enum Scope {
        case unscoped
        /// The body runs, or the scope waits for its tasks after the body returned.
        case open
        /// A task failed, the body threw, or the caller was cancelled: everything is cancelled,
        /// new spawns are refused.
        case aborting
        /// `withTaskSet` returned: new spawns are refused.
        case ended
    }

    // MARK: Tasks

    private var nextID = 0
    /// Spawned tasks whose completion was not reported yet, by id.
    private var running: [Int: Handle] = [:]
    /// The same handles as a set, kept so that `wait` returns `pending` without building it.
    private var pending: Set<Handle> = []
    /// Tasks that finished before `spawn` stored their handle (rare).
    private var finishedEarly: [Int: TaskOutcome] = [:]
    /// Spawned tasks whose handle is not stored yet.
    private var spawning = 0
    /// Finished tasks not yet taken out, first finished first (`ready[readyHead...]`).
    private var ready: [(handle: Handle, outcome: TaskOutcome)] = []
    private var readyHead = 0
    private var readySucceeded = 0
    private var readyFailed = 0

    // MARK: Consumers and scope

    private var consumers: [Consumer] = []
    private var nextConsumerID = 0
    private(set) var scope: Scope
    /// Failures in the order they happened (scope only).
    private(set) var errors: [any Error] = []
    /// The scope's body task, cancelled when the scope aborts.
    private var body: Task<Void, Never>?
    /// `withTaskSet` waiting for every task to finish.
    private var drainWaiter: AsyncWaitContinuation<Void>?

    init(scoped: Bool) { scope = scoped ? .open : .unscoped }

    /// Tasks in the set, finished or not, not yet taken out.
    var count: Int { running.count + spawning + finishedEarly.count + (ready.count - readyHead) }

    /// Consumers suspended in `next()` or `wait`; for tests.
    var consumerCount: Int { consumers.count }

    /// Tasks whose completion was not reported yet, taken out or not.
    var live: Int { running.count + spawning }

    // MARK: Spawning

    enum SpawnAction {
        case spawn(id: Int)
        case refuse(TaskSetError)
    }

    mutating func reserve() -> SpawnAction {
        switch scope {
        case .aborting:
            return .refuse(.shuttingDown)
        case .ended:
            return .refuse(.scopeEnded)
        case .unscoped, .open:
            nextID += 1
            spawning += 1
            return .spawn(id: nextID)
        }
    }

    /// What to do outside the lock: resume consumers, cancel tasks.
    struct Effects {
        var nextWakeups: [(AsyncWaitContinuation<NextWakeup>, NextWakeup)] = []
        var waitWakeups: [(AsyncWaitContinuation<WaitWakeup>, WaitWakeup)] = []
        var cancel: [Handle] = []
        var cancelBody: Task<Void, Never>?
        var drained: AsyncWaitContinuation<Void>?

        func perform() {
            for task in cancel { task.cancel() }
            cancelBody?.cancel()
            for (continuation, wakeup) in nextWakeups { continuation.resume(returning: wakeup) }
            for (continuation, wakeup) in waitWakeups { continuation.resume(returning: wakeup) }
            drained?.resume()
        }
    }

    mutating func attach(id: Int, handle: Handle) -> Effects {
        spawning -= 1
        if let outcome = finishedEarly.removeValue(forKey: id) {
            pushReady(handle, outcome)
            var effects = serveConsumers()
            checkDrained(&effects)
            return effects
        }
        running[id] = handle
        pending.insert(handle)
        if case .aborting = scope { return Effects(cancel: [handle]) }  // spawned just as it aborted
        return Effects()
    }

    // MARK: Completion

    mutating func finished(id: Int, outcome: TaskOutcome, error: (any Error)?) -> Effects {
        var effects = Effects()
        if let handle = running.removeValue(forKey: id) {
            pending.remove(handle)
            pushReady(handle, outcome)
        } else {
            finishedEarly[id] = outcome
        }
        if outcome == .failed, let error {
            recordFailure(error, &effects)
        }
        effects.merge(serveConsumers())
        checkDrained(&effects)
        return effects
    }

    private mutating func pushReady(_ handle: Handle, _ outcome: TaskOutcome) {
        ready.append((handle, outcome))
        switch outcome {
        case .returned: readySucceeded += 1
        case .failed: readyFailed += 1
        case .cancelled: break
        }
    }

    private mutating func popReady() -> Handle {
        let (handle, outcome) = ready[readyHead]
        readyHead += 1
        if readyHead == ready.count { ready.removeAll(keepingCapacity: ready.count < 1024); readyHead = 0 }
        switch outcome {
        case .returned: readySucceeded -= 1
        case .failed: readyFailed -= 1
        case .cancelled: break
        }
        return handle
    }

    private var readyCount: Int { ready.count - readyHead }

    /// Takes out every finished task and returns the split (`pending` is a copy-on-write share).
    private mutating func takeSplit() -> WaitWakeup {
        var done: [Handle] = []
        done.reserveCapacity(readyCount)
        while readyCount > 0 { done.append(popReady()) }
        return .split(done: done, pending: pending)
    }

    private func isSatisfied(_ condition: ReturnWhen) -> Bool {
        let total = count
        if total == 0 { return true }
        return condition.isSatisfied(total: total, completed: readyCount, succeeded: readySucceeded, failed: readyFailed)
    }

    /// Hands finished tasks to waiting consumers, oldest consumer first.
    private mutating func serveConsumers() -> Effects {
        var effects = Effects()
        guard !consumers.isEmpty else { return effects }
        var index = 0
        while index < consumers.count {
            switch consumers[index] {
            case .next(_, let continuation):
                if readyCount > 0 {
                    effects.nextWakeups.append((continuation, .task(popReady())))
                } else if count == 0 {
                    effects.nextWakeups.append((continuation, .empty))
                } else {
                    index += 1
                    continue
                }
            case .wait(_, let condition, let continuation):
                guard isSatisfied(condition) else { index += 1; continue }
                effects.waitWakeups.append((continuation, takeSplit()))
            }
            consumers.remove(at: index)
        }
        return effects
    }

    // MARK: Consumers

    enum NextAction {
        case take(Handle)
        case empty
        case suspend
    }

    /// `next()` before suspending.
    mutating func next() -> NextAction {
        if readyCount > 0 { return .take(popReady()) }
        if count == 0 { return .empty }
        return .suspend
    }

    mutating func enqueueNext(_ continuation: AsyncWaitContinuation<NextWakeup>, isCancelled: Bool) -> (id: Int, Effects) {
        nextConsumerID += 1
        if isCancelled { return (nextConsumerID, Effects(nextWakeups: [(continuation, .cancelled)])) }
        consumers.append(.next(id: nextConsumerID, continuation))
        return (nextConsumerID, serveConsumers())
    }

    enum WaitAction {
        case split(done: [Handle], pending: Set<Handle>)
        case suspend
        case empty
    }

    /// `wait` before suspending: returns the split at once if the condition already holds, or
    /// if `look` (a zero timeout).
    mutating func wait(_ condition: ReturnWhen, look: Bool) -> WaitAction {
        if count == 0 { return .empty }
        if look || isSatisfied(condition) {
            guard case .split(let done, let pending) = takeSplit() else { preconditionFailure("Internal inconsistency") }
            return .split(done: done, pending: pending)
        }
        return .suspend
    }

    func validate(_ condition: ReturnWhen) throws(WaitError) {
        guard count > 0 else { throw .emptyTaskSet }
        try condition.validate(taskCount: count)
    }

    mutating func enqueueWait(
        _ condition: ReturnWhen, _ continuation: AsyncWaitContinuation<WaitWakeup>, interrupt: WaitStateMachine.Interrupt?
    ) -> (id: Int, Effects) {
        nextConsumerID += 1
        switch interrupt {
        case .none: break
        case .timedOut?: return (nextConsumerID, Effects(waitWakeups: [(continuation, takeSplit())]))
        case let interrupt?: return (nextConsumerID, Effects(waitWakeups: [(continuation, .interrupted(interrupt))]))
        }
        consumers.append(.wait(id: nextConsumerID, condition, continuation))
        return (nextConsumerID, serveConsumers())
    }

    /// A waiting consumer's caller was cancelled, or its timer fired. For a timed-out `wait`
    /// the split at that moment is handed over; for anything else the interrupt.
    mutating func interruptConsumer(id: Int, _ interrupt: WaitStateMachine.Interrupt) -> Effects {
        guard let index = consumers.firstIndex(where: { $0.id == id }) else { return Effects() }
        switch consumers.remove(at: index) {
        case .next(_, let continuation):
            return Effects(nextWakeups: [(continuation, .cancelled)])
        case .wait(_, _, let continuation):
            if case .timedOut = interrupt { return Effects(waitWakeups: [(continuation, takeSplit())]) }
            return Effects(waitWakeups: [(continuation, .interrupted(interrupt))])
        }
    }

    // MARK: Cancellation and scope

    func runningHandles() -> [Handle] { Array(running.values) }

    private mutating func recordFailure(_ error: any Error, _ effects: inout Effects) {
        switch scope {
        case .unscoped:
            return
        case .open, .aborting, .ended:
            errors.append(error)
            abort(&effects)
        }
    }

    /// Cancels everything once: the tasks and the body.
    private mutating func abort(_ effects: inout Effects) {
        switch scope {
        case .unscoped, .aborting, .ended:
            return
        case .open:
            scope = .aborting
            effects.cancel = Array(running.values)
            effects.cancelBody = body
        }
    }

    mutating func setBody(_ task: Task<Void, Never>) -> Effects {
        body = task
        if case .aborting = scope { return Effects(cancelBody: task) }
        return Effects()
    }

    /// The body threw `error` (nil for a cancellation), or the caller was cancelled.
    mutating func bodyFailed(_ error: (any Error)?) -> Effects {
        var effects = Effects()
        if let error { errors.append(error) }
        abort(&effects)
        return effects
    }

    mutating func callerCancelled() -> Effects {
        var effects = Effects()
        abort(&effects)
        return effects
    }

    mutating func waitForDrain(_ continuation: AsyncWaitContinuation<Void>) -> Bool {
        if live == 0 { return true }
        drainWaiter = continuation
        return false
    }

    private mutating func checkDrained(_ effects: inout Effects) {
        if live == 0, let waiter = drainWaiter {
            drainWaiter = nil
            effects.drained = waiter
        }
    }

    mutating func end() {
        scope = .ended
        body = nil
    }
}

extension TaskSetStateMachine.Effects {
    mutating func merge(_ other: Self) {
        nextWakeups += other.nextWakeups
        waitWakeups += other.waitWakeups
        cancel += other.cancel
        if let body = other.cancelBody { cancelBody = body }
        if let drained = other.drained { self.drained = drained }
    }
}
