/// Bad input to ``wait(_:timeout:returnWhen:)`` and the other operations of AsyncWait.
///
/// These errors are thrown before anything is waited for or changed: no task is cancelled and
/// nothing is registered, so the caller loses nothing and can retry with corrected input.
///
/// ```swift
/// do {
///     _ = try await wait([Task<Int, Never>]())
/// } catch WaitError.emptyTaskSet {
///     print("nothing to wait for")
/// }
/// ```
public enum WaitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sequence of tasks was empty (asyncio raises `ValueError('Set of Tasks/Futures is empty.')`).
    case emptyTaskSet
    /// A quorum condition (``ReturnWhen/completed(atLeast:)``, ``ReturnWhen/succeeded(atLeast:)``)
    /// asked for `required` tasks, but only `tasks` distinct tasks were given; `required` must be
    /// in `1...tasks`.
    case quorumOutOfRange(required: Int, tasks: Int)
    /// A task asked to wait for itself, which could never finish while it waits (asyncio
    /// raises `RuntimeError('Task cannot await on itself')` for the same mistake).
    case waitsOnItself

    /// What went wrong and what the input must be, in one sentence.
    public var description: String {
        switch self {
        case .emptyTaskSet:
            "The set of tasks is empty: wait needs at least one task."
        case .quorumOutOfRange(let required, let tasks):
            "The quorum \(required) is out of range: it must be between 1 and the number of distinct tasks (\(tasks))."
        case .waitsOnItself:
            "A task cannot wait on itself: the calling task is among the tasks to wait for."
        }
    }
}
