/// When ``wait(_:timeout:returnWhen:)`` returns: asyncio's `return_when`, plus quorum conditions.
///
/// `ReturnWhen` is a struct with static members rather than an enum, so that conditions can be
/// added later without breaking anyone's exhaustive `switch`.
///
/// ```swift
/// let (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
/// ```
///
/// Every condition also ends early when the timeout passes or the caller is cancelled, and every
/// condition is met once all tasks have finished. `done` always holds *every* task known to have
/// finished when `wait` returns, which may be more than the condition needed.
///
/// Building a value never fails; a quorum that the given tasks cannot meet (`k` zero, negative
/// or larger than the number of distinct tasks) makes `wait` throw
/// ``WaitError/quorumOutOfRange(required:tasks:)``.
public struct ReturnWhen: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case firstCompleted
        case firstException
        case allCompleted
        case firstSuccess
        case completedAtLeast(Int)
        case succeededAtLeast(Int)
        /// Internal (gather): the first task that fails or ends by cancellation.
        case firstUnsuccessful
    }

    let kind: Kind

    /// Return as soon as at least one task has finished: returned, thrown, or ended by
    /// cancellation (asyncio's `FIRST_COMPLETED`).
    ///
    /// ```swift
    /// let (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
    /// ```
    public static let firstCompleted = ReturnWhen(kind: .firstCompleted)

    /// Return as soon as a task finishes by throwing an error other than `CancellationError`
    /// (asyncio's `FIRST_EXCEPTION`). A task that ends by `CancellationError` counts as
    /// cancelled, not failed. If no task fails, this is ``allCompleted``.
    ///
    /// ```swift
    /// let (done, pending) = try await wait(tasks, returnWhen: .firstException)
    /// ```
    public static let firstException = ReturnWhen(kind: .firstException)

    /// Return when every task has finished (asyncio's `ALL_COMPLETED`, the default).
    ///
    /// ```swift
    /// let (done, pending) = try await wait(tasks)   // pending is empty
    /// ```
    public static let allCompleted = ReturnWhen(kind: .allCompleted)

    /// Return as soon as a task returns a value (JavaScript's `Promise.any`); if every task
    /// fails or is cancelled, this is ``allCompleted``. For hedged requests: ask two replicas,
    /// take the first answer.
    ///
    /// ```swift
    /// let (done, pending) = try await wait([primary, replica], returnWhen: .firstSuccess)
    /// ```
    public static let firstSuccess = ReturnWhen(kind: .firstSuccess)

    /// Return once at least `count` distinct tasks have finished, however they ended.
    ///
    /// ```swift
    /// let (done, _) = try await wait(replicas, returnWhen: .completed(atLeast: 2))
    /// ```
    ///
    /// - Parameter count: How many distinct tasks must have finished; `1...taskCount`.
    public static func completed(atLeast count: Int) -> ReturnWhen {
        ReturnWhen(kind: .completedAtLeast(count))
    }

    /// Return once at least `count` distinct tasks have returned a value, or as soon as that can
    /// no longer happen (too many have failed or been cancelled).
    ///
    /// ```swift
    /// let (done, _) = try await wait(replicas, returnWhen: .succeeded(atLeast: 2))
    /// var answers: [Int] = []
    /// for task in done { if case .success(let answer) = await task.result { answers.append(answer) } }
    /// ```
    ///
    /// - Parameter count: How many distinct tasks must have returned; `1...taskCount`.
    public static func succeeded(atLeast count: Int) -> ReturnWhen {
        ReturnWhen(kind: .succeededAtLeast(count))
    }

    /// Internal: return at the first task that throws, `CancellationError` included (gather).
    static let firstUnsuccessful = ReturnWhen(kind: .firstUnsuccessful)

    /// The condition as written in code, e.g. `completed(atLeast: 2)`.
    public var description: String {
        switch kind {
        case .firstCompleted: "firstCompleted"
        case .firstException: "firstException"
        case .allCompleted: "allCompleted"
        case .firstSuccess: "firstSuccess"
        case .completedAtLeast(let k): "completed(atLeast: \(k))"
        case .succeededAtLeast(let k): "succeeded(atLeast: \(k))"
        case .firstUnsuccessful: "firstUnsuccessful"
        }
    }

    /// Throws when the condition cannot be met by `taskCount` distinct tasks.
    @usableFromInline
    func validate(taskCount: Int) throws(WaitError) {
        switch kind {
        case .firstCompleted, .firstException, .allCompleted, .firstSuccess, .firstUnsuccessful:
            return
        case .completedAtLeast(let k), .succeededAtLeast(let k):
            guard k >= 1, k <= taskCount else {
                throw .quorumOutOfRange(required: k, tasks: taskCount)
            }
        }
    }

    /// Whether the condition holds given counts over `total` distinct tasks.
    func isSatisfied(total: Int, completed: Int, succeeded: Int, failed: Int) -> Bool {
        if completed == total { return true }
        switch kind {
        case .firstCompleted: return completed >= 1
        case .firstException: return failed >= 1
        case .allCompleted: return false
        case .firstSuccess: return succeeded >= 1
        case .completedAtLeast(let k): return completed >= k
        case .succeededAtLeast(let k):
            // Met, or no longer reachable even if every unfinished task returns.
            return succeeded >= k || succeeded + (total - completed) < k
        case .firstUnsuccessful: return completed > succeeded
        }
    }
}
