import AsyncWait

/// Namespace of the model-based randomized tests: a reference model of each operation
/// (plain values), a seeded scenario generator, and a driver that replays a scenario on the
/// real implementation, deterministically (gates for order, `TestClock` for time).
enum Model {}

extension Model {
    /// What a scripted task does when its gate opens.
    enum Script: Hashable, Sendable {
        case value(Int)
        case error(Int)
        /// Throws `CancellationError` by itself (asyncio: the task raises `CancelledError`).
        case selfCancel

        var ending: Ending {
            switch self {
            case .value(let value): .value(value)
            case .error(let value): .thrown(.api(value))
            case .selfCancel: .thrown(.cancellation)
            }
        }
    }

    struct TaskSpec: Hashable, Sendable {
        var script: Script
        /// A task that honors cancellation ends by `CancellationError` as soon as it is
        /// cancelled; a stubborn one ignores it and runs its script when its gate opens.
        var honorsCancellation: Bool
    }

    /// Errors, as values the model and the driver can compare.
    indirect enum Thrown: Hashable, Sendable, CustomStringConvertible {
        case api(Int)
        case body(Int)
        case cancellation
        case timeout
        case emptyTaskSet
        case quorumOutOfRange(required: Int, tasks: Int)
        case shuttingDown
        case scopeEnded
        case group([Thrown])
        case unexpected(String)

        var description: String {
            switch self {
            case .api(let value): "APIError(\(value))"
            case .body(let value): "BodyError(\(value))"
            case .cancellation: "CancellationError"
            case .timeout: "TimeoutError"
            case .emptyTaskSet: "WaitError.emptyTaskSet"
            case .quorumOutOfRange(let required, let tasks): "WaitError.quorumOutOfRange(\(required), \(tasks))"
            case .shuttingDown: "TaskSetError.shuttingDown"
            case .scopeEnded: "TaskSetError.scopeEnded"
            case .group(let errors): "TaskGroupError(\(errors))"
            case .unexpected(let text): "unexpected \(text)"
            }
        }
    }

    /// How a task, a body or a call ended.
    enum Ending: Hashable, Sendable, CustomStringConvertible {
        case value(Int)
        case thrown(Thrown)

        var description: String {
            switch self {
            case .value(let value): "value \(value)"
            case .thrown(let error): "threw \(error)"
            }
        }
    }

    /// A timeout as the scenario gives it.
    enum TimeoutSpec: Hashable, Sendable, CustomStringConvertible {
        case none
        /// Zero or negative: already expired when the operation is called.
        case expired(Duration)
        /// Positive: it passes at the scenario's `.timeout` event (if the operation still waits).
        case after(Duration)

        var duration: Duration? {
            switch self {
            case .none: nil
            case .expired(let duration), .after(let duration): duration
            }
        }

        var description: String {
            switch self {
            case .none: "none"
            case .expired(let duration): "expired(\(duration))"
            case .after(let duration): "after(\(duration))"
            }
        }
    }

    /// `ReturnWhen`, as a value the model can evaluate.
    enum Condition: Hashable, Sendable {
        case firstCompleted, firstException, allCompleted, firstSuccess
        case completedAtLeast(Int)
        case succeededAtLeast(Int)

        var returnWhen: ReturnWhen {
            switch self {
            case .firstCompleted: .firstCompleted
            case .firstException: .firstException
            case .allCompleted: .allCompleted
            case .firstSuccess: .firstSuccess
            case .completedAtLeast(let k): .completed(atLeast: k)
            case .succeededAtLeast(let k): .succeeded(atLeast: k)
            }
        }

        /// The error for a quorum that `count` distinct tasks cannot meet.
        func validate(count: Int) -> Thrown? {
            switch self {
            case .firstCompleted, .firstException, .allCompleted, .firstSuccess:
                return nil
            case .completedAtLeast(let k), .succeededAtLeast(let k):
                return k >= 1 && k <= count ? nil : .quorumOutOfRange(required: k, tasks: count)
            }
        }

        /// Whether the condition holds over `total` distinct tasks, of which `finished` ended
        /// as given. Every condition holds once all have finished (asyncio's rule).
        func isMet(total: Int, finished: [Ending]) -> Bool {
            let completed = finished.count
            if completed == total { return true }
            let succeeded = finished.filter { if case .value = $0 { true } else { false } }.count
            let failed = finished.filter { if case .thrown(.api) = $0 { true } else { false } }.count
            switch self {
            case .firstCompleted: return completed >= 1
            case .firstException: return failed >= 1  // a cancelled task is not an exception
            case .allCompleted: return false
            case .firstSuccess: return succeeded >= 1
            case .completedAtLeast(let k): return completed >= k
            case .succeededAtLeast(let k): return succeeded >= k || succeeded + (total - completed) < k
            }
        }
    }

    /// One call of a ``TaskSet`` consumer.
    enum SetCall: Hashable, Sendable {
        case next
        case wait(Condition, TimeoutSpec)
    }

    /// What a `withTaskSet` body does after its gate opens.
    enum BodyEnd: Hashable, Sendable {
        case returns(Int)
        case throwsError(Int)
        /// Spawns one more task returning the value, awaits it, and returns its value
        /// (rethrows `TaskSetError` if the set refused it).
        case spawnsLate(Int)
    }

    /// The body of a `withTaskSet` scenario: it always spawns every task first.
    enum ScopeBody: Hashable, Sendable {
        case returnsAtOnce(Int)
        /// Waits for its own gate (the `.openBody` event), then ends as `then` says.
        case waits(honorsCancellation: Bool, then: BodyEnd)
    }

    /// How `wait` gets its tasks: an array, a `Set` (its own code path), or `wait(updating:)`.
    enum WaitForm: Hashable, Sendable { case array, set, updating }

    enum Operation: Hashable, Sendable {
        case wait(Condition, WaitForm)
        case asCompleted
        case gather
        case gatherResults
        case waitFor
        /// `withTimeout` (or `withDeadline`) whose operation is scripted task 0.
        case withTimeout(deadline: Bool)
        case taskSet([SetCall])
        case withTaskSet(ScopeBody)
    }

    /// The operations the suite covers, one test each.
    enum Kind: String, CaseIterable, Sendable {
        case wait, asCompleted, gather, gatherResults, waitFor, withTimeout, taskSet, withTaskSet
    }

    enum Event: Hashable, Sendable, CustomStringConvertible {
        /// Open task i's gate: it runs its script (unless it already ended).
        case open(Int)
        /// The time limit passes (the driver advances the test clock past it).
        case timeout
        /// The task calling the operation is cancelled.
        case cancelCaller
        /// Open the `withTaskSet` body's gate.
        case openBody

        var description: String {
            switch self {
            case .open(let index): "open(\(index))"
            case .timeout: "timeout"
            case .cancelCaller: "cancelCaller"
            case .openBody: "openBody"
            }
        }
    }

    struct Scenario: Sendable, CustomStringConvertible {
        let seed: UInt64
        var operation: Operation
        var tasks: [TaskSpec]
        /// Indices into `tasks` passed to the operation (duplicates allowed).
        var inputs: [Int]
        /// Tasks that finish before the operation is called, in this order.
        var before: [Int]
        /// The calling task is cancelled before it calls the operation.
        var precancelled: Bool
        var timeout: TimeoutSpec
        /// What happens after the call, in order. Every gate not opened `before` opens here.
        var events: [Event]

        var description: String {
            let tasks = self.tasks.enumerated().map { index, spec in
                "\(index): \(spec.script)\(spec.honorsCancellation ? "" : " stubborn")"
            }
            return """
                seed \(seed): \(operation)
                  tasks [\(tasks.joined(separator: ", "))]
                  inputs \(inputs), before \(before), precancelled \(precancelled), timeout \(timeout)
                  events \(events)
                """
        }
    }

    /// What an operation produced, in a comparable form.
    enum OpResult: Hashable, Sendable {
        case thrown(Thrown)
        case split(done: Set<Int>, pending: Set<Int>)
        /// asCompleted: the tasks yielded, then the error that ended the iteration, if any.
        case sequence([Int], then: Thrown?)
        case values([Int])
        case results([Ending])
        case ending(Ending)
        case calls([CallResult])
        /// withTaskSet: its ending, and how the late task (if the body spawned one) ended.
        case scope(Ending, late: Ending?)
    }

    enum CallResult: Hashable, Sendable {
        case task(Int)
        case end
        case split(done: Set<Int>, pending: Set<Int>)
        case thrown(Thrown)
    }
}

// MARK: - Descriptions for failure messages

extension Model.Script: CustomStringConvertible {
    var description: String {
        switch self {
        case .value(let value): "value(\(value))"
        case .error(let value): "error(\(value))"
        case .selfCancel: "selfCancel"
        }
    }
}

extension Model.Condition: CustomStringConvertible {
    var description: String { returnWhen.description }
}

extension Model.SetCall: CustomStringConvertible {
    var description: String {
        switch self {
        case .next: "next()"
        case .wait(let condition, let timeout): "wait(\(condition), timeout: \(timeout))"
        }
    }
}

extension Model.ScopeBody: CustomStringConvertible {
    var description: String {
        switch self {
        case .returnsAtOnce(let value): "returns \(value) at once"
        case .waits(let honors, let then): "waits at its gate\(honors ? "" : " (stubborn)"), then \(then)"
        }
    }
}

extension Model.Operation: CustomStringConvertible {
    var description: String {
        switch self {
        case .wait(let condition, let form): "wait(\(form), returnWhen: \(condition))"
        case .asCompleted: "asCompleted"
        case .gather: "gather"
        case .gatherResults: "gatherResults"
        case .waitFor: "waitFor"
        case .withTimeout(let deadline): deadline ? "withDeadline" : "withTimeout"
        case .taskSet(let calls): "TaskSet consumer \(calls)"
        case .withTaskSet(let body): "withTaskSet, body \(body)"
        }
    }
}
