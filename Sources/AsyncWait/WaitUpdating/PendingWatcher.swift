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
    /// Where the registry keeps this watcher between calls.
    let registryKey = Mutex<ObjectIdentifier?>(nil)

    /// Registers with every task of `pending`; tasks already finished are queued at once.
    init(watching pending: Set<Handle>) {
        tasks = Array(pending)
        records = tasks.map { CompletionRegistry.record(for: $0) }
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

/// Watchers between calls, by the identity of the storage of the set they watch.
enum PendingWatcherRegistry {
    private static let watchers = Mutex<[ObjectIdentifier: AnyObject]>([:])

    /// The identity of a set's storage (a `Set` is a single reference to its storage).
    static func key<Element>(_ set: Set<Element>) -> ObjectIdentifier {
        precondition(MemoryLayout<Set<Element>>.size == MemoryLayout<AnyObject>.size,
                     "Internal inconsistency: unexpected Set layout")
        return ObjectIdentifier(unsafeBitCast(set, to: AnyObject.self))
    }

    /// Takes out the watcher of exactly this set, if there is one.
    static func take<Success, Failure>(for set: Set<Task<Success, Failure>>) -> PendingWatcher<Success, Failure>? {
        let key = key(set)
        let watcher: PendingWatcher<Success, Failure>? = watchers.withLock { watchers in
            guard let candidate = watchers[key] as? PendingWatcher<Success, Failure>,
                  candidate.snapshot.count == set.count else { return nil }
            watchers[key] = nil
            return candidate
        }
        // Release our copy, so that the caller's set is uniquely referenced again.
        watcher?.snapshot = []
        return watcher
    }

    /// Keeps `watcher` for the next call on `set`, unless all its tasks have finished.
    static func store<Success, Failure>(_ watcher: PendingWatcher<Success, Failure>, for set: Set<Task<Success, Failure>>) {
        let key = key(set)
        let replaced: AnyObject? = watchers.withLock { watchers in
            // Set the key before looking at `unfinished`: a last completion racing with this
            // either sees the key (and discards the watcher after we stored it) or happened
            // before the check below.
            watcher.registryKey.withLock { $0 = key }
            guard watcher.state.withLock({ $0.unfinished }) > 0 else { return nil }
            watcher.snapshot = set
            defer { watchers[key] = watcher }
            return watchers[key]
        }
        if let replaced = replaced as? PendingWatcher<Success, Failure>, replaced !== watcher { replaced.deregisterAll() }
    }

    /// Watchers kept between calls; for tests.
    static var count: Int { watchers.withLock { $0.count } }

    /// Drops a watcher whose tasks have all finished; called by its last completion.
    static func discard<Success, Failure>(_ key: ObjectIdentifier, _ watcher: PendingWatcher<Success, Failure>) {
        let removed = watchers.withLock { watchers -> AnyObject? in
            guard watchers[key] === watcher else { return nil }
            return watchers.removeValue(forKey: key)
        }
        _ = removed  // released here, outside the lock
    }
}
