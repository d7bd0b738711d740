import Synchronization

/// Finds, or creates, the one ``CompletionRecord`` of a running task.
///
/// A record is created (and one observer task started) the first time any AsyncWait operation
/// watches a task, and removed as soon as the task has finished, so the tutorial loop
/// `while !pending.isEmpty { (done, pending) = try await wait(pending, returnWhen: .firstCompleted) }`
/// starts one observer per task in all, not one per task per call.
///
/// The table is split into shards, each behind its own `Mutex`, so that concurrent callers on
/// two cores rarely contend.
@usableFromInline
enum CompletionRegistry {
    private final class Shard: Sendable {
        let records = Mutex<[ObjectIdentifier: CompletionRecord]>([:])
    }

    private static let shardCount = 16
    private static let shards: [Shard] = (0..<shardCount).map { _ in Shard() }


    /// The identity of the task behind a handle (the address of its runtime object).
    @inlinable
    static func key<Success, Failure>(_ task: Task<Success, Failure>) -> ObjectIdentifier {
        // `Task` is a struct holding a single reference to the runtime task object.
        precondition(MemoryLayout<Task<Success, Failure>>.size == MemoryLayout<AnyObject>.size,
                     "Internal inconsistency: unexpected Task layout")
        return ObjectIdentifier(unsafeBitCast(task, to: AnyObject.self))
    }

    /// The identity of the calling task, comparable with ``key(_:)``; nil outside a task.
    @usableFromInline
    static func currentTaskKey() -> ObjectIdentifier? {
        withUnsafeCurrentTask { task in
            guard let task else { return nil }
            precondition(MemoryLayout<UnsafeCurrentTask>.size == MemoryLayout<AnyObject>.size,
                         "Internal inconsistency: unexpected UnsafeCurrentTask layout")
            return ObjectIdentifier(unsafeBitCast(task, to: AnyObject.self))
        }
    }

    @inline(__always)
    private static func shard(for key: ObjectIdentifier) -> Shard {
        shards[(key.hashValue & Int.max) % shardCount]
    }

    /// The record of `task`, starting its observer if this is the first time anyone watches it.
    ///
    /// If `task` has already finished, the observer runs to completion before this returns
    /// (it is started with `Task.immediate`, and awaiting a finished task does not suspend), so
    /// the returned record already holds the outcome.
    ///
    /// Inlinable, with the generic part kept small, so that the observer's closure is built by
    /// code specialized for the caller's task type rather than by generic code at run time.
    @inlinable
    static func record<Success, Failure>(for task: Task<Success, Failure>) -> CompletionRecord {
        let key = key(task)
        let (record, isNew) = lookUpOrInsert(key)
        if isNew {
            startObserving {
                let outcome = TaskOutcome(await task.result)
                observerFinished(record, outcome, key: key)
            }
        }
        return record
    }

    /// The record under `key`, or a new one if there was none.
    @usableFromInline
    static func lookUpOrInsert(_ key: ObjectIdentifier) -> (CompletionRecord, isNew: Bool) {
        let result = shard(for: key).records.withLock { records in
            if let existing = records[key] { return (existing, false) }
            let record = CompletionRecord()
            records[key] = record
            return (record, true)
        }
        return result
    }

    /// Starts an observer: synchronously up to its first suspension, so that a task that has
    /// already finished is reported before this returns.
    @usableFromInline
    static func startObserving(_ observe: sending @escaping @isolated(any) () async -> Void) {
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            Task.immediate(operation: observe)
        } else {
            Task(operation: observe)
        }
    }

    /// The observer's last step: tell the record's waiters, then forget the record.
    @usableFromInline
    static func observerFinished(_ record: CompletionRecord, _ outcome: TaskOutcome, key: ObjectIdentifier) {
        // Finish before unregistering: a caller that still finds the record sees the outcome.
        record.finish(outcome)
        shard(for: key).records.withLock { records in
            if records[key] === record { records[key] = nil }
        }
    }

    /// The record of `task` if one is registered right now; for tests.
    static func existingRecord<Success, Failure>(for task: Task<Success, Failure>) -> CompletionRecord? {
        let key = key(task)
        return shard(for: key).records.withLock { $0[key] }
    }

}
