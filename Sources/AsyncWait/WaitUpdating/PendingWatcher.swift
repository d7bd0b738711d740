import Synchronization

/// The registrations of one caller's `pending` set, kept between calls of
/// ``wait(updating:timeout:returnWhen:)`` so that each call costs only what finished.
///
/// A watcher is found again through the identity of the set's storage. Between calls the
/// watcher keeps a copy of the set, so any change the caller makes to it copies the storage
/// (copy-on-write) and changes that identity: a changed set is never mistaken for the watched
/// one. During a call the copy is dropped, so removing finished tasks happens in place.
final class PendingWatcher<Success: Sendable, Failure: Error>: CompletionObserver {
    typealias Handle = Task<Success, Failure>

    let state: Mutex<PendingWatcherStateMachine>
    /// The watched tasks by slot, and their records; immutable after `init`.
    let tasks: [Handle]
    let records: [CompletionRecord]
    /// The caller's set as it was left after the last call; touched only under the registry's
    /// lock or by the one call that took this watcher out of the registry.
    nonisolated(unsafe) var snapshot: Set<Handle> = []
    /// The calling task the watched set was last checked against (``WaitError/waitsOnItself``);
    /// touched only by the one call that holds this watcher.
    nonisolated(unsafe) var checkedFor: ObjectIdentifier?
    /// Where the registry keeps this watcher between calls.
    let registryKey = Mutex<ObjectIdentifier?>(nil)

    /// Registers with every task of `pending`; tasks already finished are queued at once.
    convenience init(watching pending: Set<Handle>) {
        let tasks = Array(pending)
        self.init(tasks: tasks, records: tasks.map { CompletionRegistry.record(for: $0) })
    }

    /// Registers with `records`, those of the distinct `tasks`, slot by slot.
    init(tasks: [Handle], records: [CompletionRecord]) {
        self.tasks = tasks
        self.records = records
        state = Mutex(PendingWatcherStateMachine(registered: tasks.count))
        for slot in records.indices {
            if case .alreadyFinished(let outcome) = records[slot].register(self, slot: slot) {
                taskDidFinish(slot: slot, outcome: outcome)
            }
        }
    }

    func taskDidFinish(slot: Int, outcome: TaskOutcome) {
        switch state.withLock({ $0.taskFinished(slot: slot, outcome: outcome) }) {
        case .none: break
        case .resume(let continuation): continuation.resume()
        case .discard:
            if let key = registryKey.withLock({ $0 }) { PendingWatcherRegistry.discard(key, self) }
        }
    }

    func interrupt(_ interrupt: WaitStateMachine.Interrupt) {
        let action = state.withLock { $0.interrupt(interrupt) }
        if case .resume(let continuation) = action { continuation.resume() }
    }

    var isStale: Bool {
        guard !snapshot.isEmpty else { return true }
        // A `Set` is one reference to its storage: look at that reference without copying it.
        return withUnsafeMutablePointer(to: &snapshot) { pointer in
            pointer.withMemoryRebound(to: AnyObject.self, capacity: 1) { isKnownUniquelyReferenced(&$0.pointee) }
        }
    }

    /// Removes every registration (the watcher is being replaced or discarded).
    func deregisterAll() {
        for record in records { record.deregister(self) }
    }

    /// Suspends until `condition` holds over `total` tasks or an interrupt arrives.
    func suspend(_ condition: ReturnWhen, total: Int) async {
        await withTaskCancellationHandler {
            await withWaitContinuation { continuation in
                switch state.withLock({ $0.suspend(continuation, condition, total: total) }) {
                case .resumeNow: continuation.resume()
                case .suspend: break
                }
            }
        } onCancel: {
            interrupt(.cancelled)
        }
    }
}

/// A watcher kept between calls, whatever its task types.
protocol KeptWatcher: AnyObject, Sendable {
    func deregisterAll()
    /// Whether nobody but this watcher holds the set it was kept for (the caller dropped it),
    /// so no call can ever find it again. Called under the registry's lock.
    var isStale: Bool { get }
}

extension PendingWatcher: KeptWatcher {}

/// Watchers between calls, by the identity of the storage of the set they watch.
///
/// At most ``capacity`` are kept: a caller that drops the `pending` set a call returned leaves
/// a watcher nobody will ask for again (until its tasks finish and it goes by itself), so the
/// oldest are evicted. Eviction only costs speed: the next call on an evicted set registers
/// again, O(*n*), exactly like a first call.
enum PendingWatcherRegistry {
    static let capacity = 256

    private struct Table {
        var watchers: [ObjectIdentifier: any KeptWatcher] = [:]
        /// Keys in the order they were stored; may hold keys no longer in `watchers`.
        var order: [ObjectIdentifier] = []
        var orderHead = 0

        /// Makes room for one more watcher: removes the stale ones (their set was dropped), and
        /// if that is not enough the oldest; returns those removed.
        mutating func evict() -> [any KeptWatcher] {
            var evicted: [any KeptWatcher] = []
            guard watchers.count >= PendingWatcherRegistry.capacity else { return evicted }
            for (key, watcher) in watchers where watcher.isStale {
                watchers[key] = nil
                evicted.append(watcher)
            }
            while watchers.count >= PendingWatcherRegistry.capacity, orderHead < order.count {
                let key = order[orderHead]
                orderHead += 1
                if let watcher = watchers.removeValue(forKey: key) { evicted.append(watcher) }
            }
            if orderHead > 4 * PendingWatcherRegistry.capacity {
                order = order[orderHead...].filter { watchers[$0] != nil }
                orderHead = 0
            }
            return evicted
        }
    }

    private static let table = Mutex(Table())

    /// The identity of a set's storage (a `Set` is a single reference to its storage).
    static func key<Element>(_ set: Set<Element>) -> ObjectIdentifier {
        precondition(MemoryLayout<Set<Element>>.size == MemoryLayout<AnyObject>.size,
                     "Internal inconsistency: unexpected Set layout")
        return ObjectIdentifier(unsafeBitCast(set, to: AnyObject.self))
    }

    /// Takes out the watcher of exactly this set, if there is one.
    static func take<Success, Failure>(for set: Set<Task<Success, Failure>>) -> PendingWatcher<Success, Failure>? {
        let key = key(set)
        let watcher: PendingWatcher<Success, Failure>? = table.withLock { table in
            guard let candidate = table.watchers[key] as? PendingWatcher<Success, Failure>,
                  candidate.snapshot.count == set.count else { return nil }
            table.watchers[key] = nil
            return candidate
        }
        // Release our copy, so that the caller's set is uniquely referenced again.
        watcher?.snapshot = []
        return watcher
    }

    /// Keeps `watcher` for the next call on `set`, unless all its tasks have finished.
    static func store<Success, Failure>(_ watcher: PendingWatcher<Success, Failure>, for set: Set<Task<Success, Failure>>) {
        let key = key(set)
        let dropped: [any KeptWatcher] = table.withLock { table in
            // Set the key before looking at `unfinished`: a last completion racing with this
            // either sees the key (and discards the watcher after we stored it) or happened
            // before the check below.
            watcher.registryKey.withLock { $0 = key }
            guard watcher.state.withLock({ $0.unfinished }) > 0 else { return [] }
            watcher.snapshot = set
            var dropped = table.evict()
            if let replaced = table.watchers.updateValue(watcher, forKey: key), replaced !== watcher {
                dropped.append(replaced)
            }
            table.order.append(key)
            return dropped
        }
        for old in dropped { old.deregisterAll() }
    }

    /// Drops a watcher whose tasks have all finished; called by its last completion.
    static func discard(_ key: ObjectIdentifier, _ watcher: some KeptWatcher) {
        let removed = table.withLock { table -> (any KeptWatcher)? in
            guard table.watchers[key] === watcher else { return nil }
            return table.watchers.removeValue(forKey: key)
        }
        _ = removed  // released here, outside the lock
    }
}
