/// The state of a ``TaskSet``: its running tasks, the finished ones not yet taken out, the
/// consumers waiting in `next()` or `wait`, and, for ``withTaskSet(of:body:)``, the scope.
///
/// A plain value; ``TaskSetCore`` keeps it behind a `Mutex` and performs the returned ``Effects``
/// (resuming continuations, cancelling tasks) outside the lock.
///
/// The per-task path (``reserve()``, ``attach(slot:handle:)``, ``finished(slot:result:)``,
/// ``next()``) and `wait` are `@inlinable`, so that a client specialises them for its own
/// `Success` and `Failure` instead of running generic code that looks up type metadata at
/// every step; interrupts and the scope, called rarely, stay in the module.
///
/// Storage, all O(1) per task: a task lives in a reused slot of `slots` (no dictionary) from
/// `spawn` until it reports its completion, then in `ready` with its result until taken out.
/// `pending`, the running handles as a `Set` for `wait`, is built by the first `wait` and kept
/// up to date from then on, so that sets never waited on never hash a handle.
@usableFromInline
struct TaskSetStateMachine<Success: Sendable, Failure: Error>: ~Copyable {
    @usableFromInline typealias Handle = Task<Success, Failure>
    /// A finished task and how it ended, as it reported it.
    @usableFromInline typealias Finished = (handle: Handle, result: Result<Success, Failure>)
    /// A finished task in `ready`; `failed`, decided once, is whether it counts as a failure
    /// (an error other than `CancellationError`).
    @usableFromInline typealias Ready = (handle: Handle, result: Result<Success, Failure>, failed: Bool)

    /// What a waiting `next()` receives.
    @usableFromInline
    enum NextWakeup: Sendable {
        case task(Handle, Result<Success, Failure>)
        case empty
        case cancelled
    }

    /// What a waiting `wait` receives.
    @usableFromInline
    enum WaitWakeup: Sendable {
        case split(done: [Handle], pending: Set<Handle>)
        case interrupted(WaitInterrupt)
    }

    @usableFromInline
    enum Consumer {
        case next(id: Int, AsyncWaitContinuation<NextWakeup>)
        case wait(id: Int, ReturnWhen, AsyncWaitContinuation<WaitWakeup>)

        @inlinable
        var id: Int {
            switch self {
            case .next(let id, _), .wait(let id, _, _): id
            }
        }
    }

    /// A task's place from `spawn` until it reports its completion.
    @usableFromInline
    enum Slot {
        /// Unused; `next` is the next free slot, `-1` for none.
        case free(next: Int)
        /// Reserved by `spawn`, which has not stored the handle yet.
        case spawning
        /// Finished before `spawn` stored its handle (rare).
        case finishedEarly(Result<Success, Failure>)
        case running(Handle)
    }

    /// The lifecycle of a ``withTaskSet(of:body:)`` scope; `.unscoped` for a plain set.
    @usableFromInline
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

    /// Tasks from `spawn` until they report their completion, by slot; free slots form a list.
    @usableFromInline var slots: [Slot] = []
    @usableFromInline var freeSlot = -1
    /// Slots in `.spawning` or `.finishedEarly`.
    @usableFromInline var spawning = 0
    /// Slots in `.running`.
    @usableFromInline var running = 0
    /// The running handles as a set, so that `wait` returns `pending` without building it;
    /// `nil` until the first `wait` needs it.
    @usableFromInline var pending: Set<Handle>?
    /// Finished tasks not yet taken out, first finished first.
    @usableFromInline var ready = TaskSetRing<Ready>()
    @usableFromInline var readySucceeded = 0
    @usableFromInline var readyFailed = 0

    // MARK: Consumers and scope

    /// Consumers suspended in `next()` or `wait`, oldest first.
    @usableFromInline var consumers: [Consumer] = []
    /// Consumers between deciding to suspend and registering their continuation, with the
    /// first interrupt that reached them meanwhile (the cancel-before-register race).
    @usableFromInline var arriving: [(id: Int, interrupt: WaitInterrupt?)] = []
    @usableFromInline var lastConsumerID = 0
    @usableFromInline private(set) var scope: Scope
    /// Failures in the order they happened (scope only).
    private(set) var errors: [any Error] = []
    /// The scope's body task, cancelled when the scope aborts.
    private var body: Task<Void, Never>?
    /// `withTaskSet` waiting for every task to finish.
    @usableFromInline var drainWaiter: AsyncWaitContinuation<Void>?

    @usableFromInline
    init(scoped: Bool) { scope = scoped ? .open : .unscoped }

    /// Tasks in the set, finished or not, not yet taken out.
    @inlinable
    var count: Int { spawning + running + ready.count }

    /// Consumers suspended in `next()` or `wait`; for tests.
    var consumerCount: Int { consumers.count }

    /// Tasks whose `spawn` has not returned or whose completion was not reported yet.
    @inlinable
    var live: Int { spawning + running }

    // MARK: Spawning

    @usableFromInline
    enum SpawnAction {
        case spawn(slot: Int)
        case refuse(TaskSetError)
    }

    /// `spawn`, before starting the task: a slot for it, or the scope's refusal.
    @inlinable
    mutating func reserve() -> SpawnAction {
        switch scope {
        case .aborting:
            return .refuse(.shuttingDown)
        case .ended:
            return .refuse(.scopeEnded)
        case .unscoped, .open:
            spawning += 1
            guard freeSlot >= 0 else {
                slots.append(.spawning)
                return .spawn(slot: slots.count - 1)
            }
            let slot = freeSlot
            guard case .free(let next) = slots[slot] else {
                preconditionFailure("Internal inconsistency: slot \(slot) on the free list is in use")
            }
            freeSlot = next
            slots[slot] = .spawning
            return .spawn(slot: slot)
        }
    }

    /// `spawn`, after starting the task: stores its handle.
    @inlinable
    mutating func attach(slot: Int, handle: Handle) -> Effects {
        var effects = Effects()
        switch slots[slot] {
        case .spawning:
            slots[slot] = .running(handle)
            spawning -= 1
            running += 1
            pending?.insert(handle)
            if case .aborting = scope { effects.cancel([handle]) }  // spawned just as it aborted
        case .finishedEarly(let result):
            spawning -= 1
            release(slot)
            pushReady((handle, result, Self.isFailure(result)))
            serveConsumers(&effects)
            checkDrained(&effects)
        case .free, .running:
            preconditionFailure("Internal inconsistency: slot \(slot) attached twice")
        }
        return effects
    }

    @inlinable
    mutating func release(_ slot: Int) {
        if spawning + running == 0 {
            // Nothing is in flight: start over, so that a burst's slots do not stay allocated.
            slots.removeAll(keepingCapacity: slots.count <= 1024)
            freeSlot = -1
        } else {
            slots[slot] = .free(next: freeSlot)
            freeSlot = slot
        }
    }

    // MARK: Completion

    /// A task reports how it ended, as its last step.
    @inlinable
    mutating func finished(slot: Int, result: Result<Success, Failure>) -> Effects {
        var effects = Effects()
        let failed = Self.isFailure(result)
        switch slots[slot] {
        case .running(let handle):
            running -= 1
            release(slot)
            pending?.remove(handle)
            pushReady((handle, result, failed))
        case .spawning:
            slots[slot] = .finishedEarly(result)
        case .free, .finishedEarly:
            preconditionFailure("Internal inconsistency: slot \(slot) finished twice")
        }
        switch scope {
        case .unscoped:
            break
        case .open, .aborting, .ended:
            if failed, case .failure(let error) = result { recordFailure(error, &effects) }
        }
        if !consumers.isEmpty { serveConsumers(&effects) }
        checkDrained(&effects)
        return effects
    }

    @inlinable
    static func isFailure(_ result: Result<Success, Failure>) -> Bool {
        guard case .failure(let error) = result else { return false }
        return !(error is CancellationError)
    }

    @inlinable
    mutating func pushReady(_ entry: Ready) {
        if entry.failed {
            readyFailed += 1
        } else if case .success = entry.result {
            readySucceeded += 1
        }
        ready.append(entry)
    }

    @inlinable
    mutating func popReady() -> Finished {
        let entry = ready.removeFirst()
        if entry.failed {
            readyFailed -= 1
        } else if case .success = entry.result {
            readySucceeded -= 1
        }
        return (entry.handle, entry.result)
    }

    /// Hands finished tasks to waiting consumers, oldest consumer first.
    @inlinable
    mutating func serveConsumers(_ effects: inout Effects) {
        var index = 0
        while index < consumers.count {
            switch consumers[index] {
            case .next(_, let continuation):
                if !ready.isEmpty {
                    let finished = popReady()
                    effects.resume(continuation, .task(finished.handle, finished.result))
                } else if count == 0 {
                    effects.resume(continuation, .empty)
                } else {
                    index += 1
                    continue
                }
            case .wait(_, let condition, let continuation):
                guard let split = splitIfSatisfied(condition) else {
                    index += 1
                    continue
                }
                effects.resume(continuation, split)
            }
            consumers.remove(at: index)
        }
    }

    // MARK: next()

    @usableFromInline
    enum NextAction: Sendable {
        case take(Handle, Result<Success, Failure>)
        case empty
        /// Register with ``enqueueNext(_:_:)`` under this consumer id.
        case suspend(consumer: Int)
    }

    /// `next()` before suspending.
    @inlinable
    mutating func next() -> NextAction {
        if !ready.isEmpty {
            let finished = popReady()
            return .take(finished.handle, finished.result)
        }
        if count == 0 { return .empty }
        return .suspend(consumer: arrive())
    }

    @inlinable
    mutating func enqueueNext(_ id: Int, _ continuation: AsyncWaitContinuation<NextWakeup>) -> Effects {
        var effects = Effects()
        if case .some = register(id) {
            // Any interrupt of a `next()` is its caller's cancellation.
            effects.resume(continuation, .cancelled)
            return effects
        }
        consumers.append(.next(id: id, continuation))
        serveConsumers(&effects)
        return effects
    }

    /// A consumer that will suspend: its id, under which interrupts find it from now on.
    @inlinable
    mutating func arrive() -> Int {
        lastConsumerID += 1
        arriving.append((lastConsumerID, nil))
        return lastConsumerID
    }

    /// The consumer stores its continuation: returns the interrupt that arrived before, if any.
    @inlinable
    mutating func register(_ id: Int) -> WaitInterrupt? {
        guard let index = arriving.firstIndex(where: { $0.id == id }) else {
            preconditionFailure("Internal inconsistency: consumer \(id) registers without arriving")
        }
        return arriving.remove(at: index).interrupt
    }

    /// A consumer's caller was cancelled, or its timer fired. For a timed-out `wait` the split
    /// at that moment is handed over; for anything else the interrupt. The first interrupt
    /// wins; one for a consumer already served is ignored.
    @usableFromInline
    mutating func interruptConsumer(id: Int, _ interrupt: WaitInterrupt) -> Effects {
        var effects = Effects()
        if let index = consumers.firstIndex(where: { $0.id == id }) {
            switch consumers.remove(at: index) {
            case .next(_, let continuation):
                effects.resume(continuation, .cancelled)
            case .wait(_, _, let continuation):
                if case .timedOut = interrupt {
                    effects.resume(continuation, takeSplit())
                } else {
                    effects.resume(continuation, .interrupted(interrupt))
                }
            }
        } else if let index = arriving.firstIndex(where: { $0.id == id }), arriving[index].interrupt == nil {
            arriving[index].interrupt = interrupt
        }
        return effects
    }

    // MARK: wait

    @usableFromInline
    enum WaitAction: Sendable {
        case split(done: [Handle], pending: Set<Handle>)
        /// Register with ``enqueueWait(_:_:_:)`` under this consumer id.
        case suspend(consumer: Int)
        case empty
    }

    @inlinable
    func validate(_ condition: ReturnWhen) throws(WaitError) {
        try condition.validateForTaskSet(count: count)
    }

    /// `wait` before suspending: returns the split at once if the condition already holds, or
    /// if `look` (a zero timeout).
    @inlinable
    mutating func wait(_ condition: ReturnWhen, look: Bool) -> WaitAction {
        if count == 0 { return .empty }
        if look || isSatisfied(condition) {
            guard case .split(let done, let pending) = takeSplit() else {
                preconditionFailure("Internal inconsistency: takeSplit returns a split")
            }
            return .split(done: done, pending: pending)
        }
        // Build `pending` now, while there is time, not when a timeout fires.
        if pending == nil { pending = buildPending() }
        return .suspend(consumer: arrive())
    }

    @inlinable
    func buildPending() -> Set<Handle> {
        var built = Set<Handle>(minimumCapacity: running)
        for case .running(let handle) in slots { built.insert(handle) }
        return built
    }

    @inlinable
    mutating func enqueueWait(
        _ id: Int, _ condition: ReturnWhen, _ continuation: AsyncWaitContinuation<WaitWakeup>
    ) -> Effects {
        var effects = Effects()
        switch register(id) {
        case .none:
            consumers.append(.wait(id: id, condition, continuation))
            serveConsumers(&effects)
        case .timedOut?:
            effects.resume(continuation, takeSplit())
        case let interrupt?:
            effects.resume(continuation, .interrupted(interrupt))
        }
        return effects
    }

    @inlinable
    mutating func splitIfSatisfied(_ condition: ReturnWhen) -> WaitWakeup? {
        isSatisfied(condition) ? takeSplit() : nil
    }

    @inlinable
    func isSatisfied(_ condition: ReturnWhen) -> Bool {
        condition.isSatisfiedInTaskSet(
            total: count, completed: ready.count, succeeded: readySucceeded, failed: readyFailed)
    }

    /// Takes out every finished task and returns the split (`pending` is a copy-on-write share).
    @inlinable
    mutating func takeSplit() -> WaitWakeup {
        var done: [Handle] = []
        done.reserveCapacity(ready.count)
        while !ready.isEmpty { done.append(popReady().handle) }
        if let pending { return .split(done: done, pending: pending) }
        let built = buildPending()
        pending = built
        return .split(done: done, pending: built)
    }

    // MARK: Cancellation and scope

    func runningHandles() -> [Handle] {
        guard running > 0 else { return [] }
        var handles: [Handle] = []
        handles.reserveCapacity(running)
        for case .running(let handle) in slots { handles.append(handle) }
        return handles
    }

    @usableFromInline
    mutating func recordFailure(_ error: any Error, _ effects: inout Effects) {
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
            effects.cancel(runningHandles())
            if let body { effects.cancelBody(body) }
        }
    }

    mutating func setBody(_ task: Task<Void, Never>) -> Effects {
        body = task
        var effects = Effects()
        if case .aborting = scope { effects.cancelBody(task) }
        return effects
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

    @inlinable
    mutating func checkDrained(_ effects: inout Effects) {
        if live == 0, let waiter = drainWaiter {
            drainWaiter = nil
            effects.resumeDrain(waiter)
        }
    }

    mutating func end() {
        scope = .ended
        body = nil
    }

    // MARK: Effects

    /// What to do outside the lock: cancel tasks, resume consumers. The common cases, nothing
    /// to do or one consumer to resume, are inline: they allocate nothing and cost next to
    /// nothing to destroy.
    @usableFromInline
    enum Effects {
        case none
        case resumeNext(AsyncWaitContinuation<NextWakeup>, NextWakeup)
        case resumeWait(AsyncWaitContinuation<WaitWakeup>, WaitWakeup)
        case several(EffectList)

        @inlinable
        init() { self = .none }

        @inlinable
        mutating func resume(_ continuation: AsyncWaitContinuation<NextWakeup>, _ wakeup: NextWakeup) {
            if case .none = self {
                self = .resumeNext(continuation, wakeup)
            } else {
                append(continuation, wakeup)
            }
        }

        @usableFromInline
        mutating func append(_ continuation: AsyncWaitContinuation<NextWakeup>, _ wakeup: NextWakeup) {
            edit { $0.resumeNext.append((continuation, wakeup)) }
        }

        @inlinable
        mutating func resume(_ continuation: AsyncWaitContinuation<WaitWakeup>, _ wakeup: WaitWakeup) {
            if case .none = self {
                self = .resumeWait(continuation, wakeup)
            } else {
                append(continuation, wakeup)
            }
        }

        @usableFromInline
        mutating func append(_ continuation: AsyncWaitContinuation<WaitWakeup>, _ wakeup: WaitWakeup) {
            edit { $0.resumeWait.append((continuation, wakeup)) }
        }

        @usableFromInline
        mutating func cancel(_ tasks: [Handle]) {
            edit { $0.cancelTasks += tasks }
        }

        @usableFromInline
        mutating func cancelBody(_ task: Task<Void, Never>) {
            edit { $0.cancelBody = task }
        }

        @usableFromInline
        mutating func resumeDrain(_ continuation: AsyncWaitContinuation<Void>) {
            edit { $0.resumeDrain = continuation }
        }

        @usableFromInline
        mutating func edit(_ body: (inout EffectList) -> Void) {
            var list = EffectList()
            switch self {
            case .none: break
            case .resumeNext(let continuation, let wakeup): list.resumeNext.append((continuation, wakeup))
            case .resumeWait(let continuation, let wakeup): list.resumeWait.append((continuation, wakeup))
            case .several(let several): list = several
            }
            self = .none
            body(&list)
            self = .several(list)
        }

        @inlinable
        func perform() {
            switch self {
            case .none:
                return
            case .resumeNext(let continuation, let wakeup):
                continuation.resume(returning: wakeup)
            case .resumeWait(let continuation, let wakeup):
                continuation.resume(returning: wakeup)
            case .several(let list):
                list.perform()
            }
        }
    }

    @usableFromInline
    struct EffectList {
        var cancelTasks: [Handle] = []
        var cancelBody: Task<Void, Never>?
        var resumeNext: [(AsyncWaitContinuation<NextWakeup>, NextWakeup)] = []
        var resumeWait: [(AsyncWaitContinuation<WaitWakeup>, WaitWakeup)] = []
        var resumeDrain: AsyncWaitContinuation<Void>?

        @usableFromInline
        func perform() {
            for task in cancelTasks { task.cancel() }
            cancelBody?.cancel()
            for (continuation, wakeup) in resumeNext { continuation.resume(returning: wakeup) }
            for (continuation, wakeup) in resumeWait { continuation.resume(returning: wakeup) }
            resumeDrain?.resume()
        }
    }
}

extension ReturnWhen {
    /// ``WaitError/emptyTaskSet`` for an empty set, else the condition's own check.
    @usableFromInline
    func validateForTaskSet(count: Int) throws(WaitError) {
        guard count > 0 else { throw .emptyTaskSet }
        try validate(taskCount: count)
    }

    /// Whether a set's `wait` with this condition returns: its own rule, or nothing in the set.
    @usableFromInline
    func isSatisfiedInTaskSet(total: Int, completed: Int, succeeded: Int, failed: Int) -> Bool {
        total == 0 || isSatisfied(total: total, completed: completed, succeeded: succeeded, failed: failed)
    }
}

/// A FIFO queue on a circular buffer: O(1) append and removeFirst, and a removed element is
/// released at once (an array with a moving head keeps it until the array is emptied).
@usableFromInline
struct TaskSetRing<Element> {
    @usableFromInline var buffer: [Element?] = []
    @usableFromInline var head = 0
    @usableFromInline var count = 0

    @inlinable
    init() {}

    @inlinable
    var isEmpty: Bool { count == 0 }

    @inlinable
    mutating func append(_ element: Element) {
        if count == buffer.count { grow() }
        var tail = head + count
        if tail >= buffer.count { tail -= buffer.count }
        buffer[tail] = element
        count += 1
    }

    @inlinable
    mutating func removeFirst() -> Element {
        guard let element = buffer[head].take() else {
            preconditionFailure("Internal inconsistency: removeFirst on an empty queue")
        }
        count -= 1
        if count == 0 && buffer.count > 1024 {
            buffer = []  // a drained burst gives its memory back
            head = 0
        } else {
            head += 1
            if head == buffer.count { head = 0 }
        }
        return element
    }

    @inlinable
    mutating func grow() {
        var grown: [Element?] = []
        let capacity = Swift.max(16, buffer.count * 2)
        grown.reserveCapacity(capacity)
        for offset in 0..<count {
            var index = head + offset
            if index >= buffer.count { index -= buffer.count }
            grown.append(buffer[index].take())
        }
        grown.append(contentsOf: repeatElement(nil, count: capacity - count))
        buffer = grown
        head = 0
    }
}
