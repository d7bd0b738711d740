import Synchronization
@testable import AsyncWait

/// The error a scripted task throws (asyncio's `APIError(value)`).
struct ModelAPIError: Error, Equatable { let value: Int }

/// The error a scripted `withTaskSet` body throws.
struct ModelBodyError: Error, Equatable { let value: Int }

extension Model {
    /// A gate a scripted body waits at until the driver opens it. A body that honors
    /// cancellation leaves it early when its task is cancelled; every cancellation that reaches
    /// a body still at its gate is reported (`cancelSeen`), honored or not.
    final class ScriptGate: Sendable {
        private struct State {
            var isOpen = false
            var cancelled = false
            var waiter: CheckedContinuation<Bool, Never>?
        }

        private let state = Mutex(State())

        /// Opens the gate; a body waiting at it passes.
        func open() {
            let waiter = state.withLock { state in
                state.isOpen = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: true)
        }

        /// Whether a body is suspended at the gate.
        var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

        /// Returns `true` when the gate opens, `false` when a body that honors cancellation is
        /// cancelled first (before or while waiting).
        func pass(honorsCancellation honors: Bool, cancelSeen: @escaping @Sendable () -> Void) async -> Bool {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let passNow: Bool? = state.withLock { state in
                        if state.isOpen { return true }
                        if state.cancelled, honors { return false }
                        state.waiter = continuation
                        return nil
                    }
                    if let passNow { continuation.resume(returning: passNow) }
                }
            } onCancel: {
                let (seen, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Bool, Never>?) in
                    guard !state.isOpen, !state.cancelled else { return (false, nil) }
                    state.cancelled = true
                    guard honors, let waiter = state.waiter else { return (true, nil) }
                    state.waiter = nil
                    return (true, waiter)
                }
                if seen { cancelSeen() }
                waiter?.resume(returning: false)
            }
        }
    }

    /// What the real side of one scenario did, written by the scripted bodies and the task
    /// that calls the operation, read by the driver.
    final class Probe: Sendable {
        struct State {
            var endings: [Ending?]
            var cancelSeen: [Bool]
            var progress = 0
            var result: OpResult?
        }

        let state: Mutex<State>

        init(count: Int) {
            state = Mutex(State(endings: Array(repeating: nil, count: count), cancelSeen: Array(repeating: false, count: count)))
        }

        func ended(_ index: Int, _ ending: Ending) { state.withLock { $0.endings[index] = ending } }
        func cancelSeen(_ index: Int) { state.withLock { $0.cancelSeen[index] = true } }
        func advanced() { state.withLock { $0.progress += 1 } }
        func finish(_ result: OpResult) { state.withLock { $0.result = result } }
        var result: OpResult? { state.withLock { $0.result } }
        func isEnded(_ index: Int) -> Bool { state.withLock { $0.endings[index] != nil } }
    }

    /// The body of scripted task `index`: waits at its gate, then runs its script; a body that
    /// honors cancellation and is cancelled first throws `CancellationError`. It reports how it
    /// ended just before ending.
    static func runScript(_ index: Int, _ spec: TaskSpec, gate: ScriptGate, probe: Probe) async throws -> Int {
        let passed = await gate.pass(honorsCancellation: spec.honorsCancellation) { probe.cancelSeen(index) }
        let ending = passed ? spec.script.ending : .thrown(.cancellation)
        probe.ended(index, ending)
        switch ending {
        case .value(let value): return value
        case .thrown(.api(let value)): throw ModelAPIError(value: value)
        case .thrown: throw CancellationError()
        }
    }

    /// An error as the model writes it.
    static func thrown(_ error: any Error) -> Thrown {
        if let error = error as? ModelAPIError { return .api(error.value) }
        if let error = error as? ModelBodyError { return .body(error.value) }
        if error is CancellationError { return .cancellation }
        if error is TimeoutError { return .timeout }
        if let error = error as? WaitError {
            if error == .emptyTaskSet { return .emptyTaskSet }
            if case .quorumOutOfRange(let required, let tasks) = error { return .quorumOutOfRange(required: required, tasks: tasks) }
        }
        if let error = error as? TaskSetError {
            if error == .shuttingDown { return .shuttingDown }
            if error == .scopeEnded { return .scopeEnded }
        }
        if let error = error as? TaskGroupError { return .group(error.errors.map(thrown)) }
        return .unexpected(String(describing: error))
    }

    static func ending<T>(_ result: Result<Int, T>) -> Ending {
        switch result {
        case .success(let value): .value(value)
        case .failure(let error): .thrown(thrown(error))
        }
    }
}

/// Holds what a `withTaskSet` body hands to the driver: the set and its task handles.
final class ScopeBox: Sendable {
    private struct State {
        var set: TaskSet<Int, any Error>?
        var handles: [Task<Int, any Error>] = []
        var late: Task<Int, any Error>?
    }

    private let state = Mutex(State())

    func store(_ set: TaskSet<Int, any Error>) { state.withLock { $0.set = set } }
    func append(_ handle: Task<Int, any Error>) { state.withLock { $0.handles.append(handle) } }
    func storeLate(_ handle: Task<Int, any Error>) { state.withLock { $0.late = handle } }
    var set: TaskSet<Int, any Error>? { state.withLock { $0.set } }
    var handles: [Task<Int, any Error>] { state.withLock { $0.handles } }
    var late: Task<Int, any Error>? { state.withLock { $0.late } }
}
