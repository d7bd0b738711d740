import AsyncWait
import Synchronization

/// The error a differential scenario's task throws: CPython's `APIError(value)`.
struct DifferentialAPIError: Error, Equatable { let value: Int }

extension Differential {
    /// What one run of a scenario produced, in `expected.json`'s terms, and how punctual it was.
    struct Observation: Sendable {
        let result: JSON
        let final: [String]
        /// The latest a task finished after its nominal time, or the operation returned after
        /// its nominal deadline (a timeout that fired late).
        let lateness: Duration
    }

    /// A value every delayed task waits for: the instant the operation is called. Set once.
    final class Origin: Sendable {
        private let state = Mutex<(instant: ContinuousClock.Instant?, waiters: [CheckedContinuation<ContinuousClock.Instant, Never>])>((nil, []))

        func publish(_ instant: ContinuousClock.Instant) {
            let waiters = state.withLock { state in
                state.instant = instant
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: instant) }
        }

        var value: ContinuousClock.Instant {
            get async {
                await withCheckedContinuation { continuation in
                    let instant = state.withLock { state in
                        if state.instant == nil { state.waiters.append(continuation) }
                        return state.instant
                    }
                    if let instant { continuation.resume(returning: instant) }
                }
            }
        }
    }

    /// When each task finished.
    final class FinishTimes: Sendable {
        private let state: Mutex<[ContinuousClock.Instant?]>
        init(count: Int) { state = Mutex(Array(repeating: nil, count: count)) }
        func record(_ index: Int, _ instant: ContinuousClock.Instant) { state.withLock { $0[index] = instant } }
        var instants: [ContinuousClock.Instant?] { state.withLock { $0 } }
    }

    /// Runs `scenario` in real time, as `asyncio_runner.py` does: every task is started, the
    /// delay-0 ones are awaited, then the operation is called; a task with delay `d` finishes
    /// `d` units after the call (`Task.sleep` on `ContinuousClock`, cancellable like
    /// `asyncio.sleep`).
    static func run(_ scenario: Scenario, unit: Duration) async -> Observation {
        let clock = ContinuousClock()
        let origin = Origin()
        let finishedAt = FinishTimes(count: scenario.tasks.count)
        let tasks = scenario.tasks.enumerated().map { index, spec in
            Task<Int, any Error> {
                if spec.delay > 0 {
                    let start = await origin.value
                    try await Task.sleep(until: start.advanced(by: unit * spec.delay), clock: .continuous)
                }
                finishedAt.record(index, clock.now)
                switch spec.outcome {
                case "value": return spec.value
                case "error": throw DifferentialAPIError(value: spec.value)
                default: throw CancellationError()  // "cancel": the task cancels itself
                }
            }
        }
        for (task, spec) in zip(tasks, scenario.tasks) where spec.delay == 0 { _ = await task.result }

        let start = clock.now
        origin.publish(start)
        let result = await perform(scenario, tasks: tasks.map { $0 }, unit: unit)
        let returned = clock.now

        var final: [String] = []
        for task in tasks {
            switch await task.result {
            case .success: final.append("value")
            case .failure(let error): final.append(error is CancellationError ? "cancelled" : "error")
            }
        }

        var lateness = Duration.zero
        let finished = finishedAt.instants
        for (spec, instant) in zip(scenario.tasks, finished) where spec.delay > 0 {
            guard let instant else { continue }  // cancelled before its time
            lateness = max(lateness, start.advanced(by: unit * spec.delay).duration(to: instant))
        }
        if let timeout = scenario.timeout, timeout > 0 {
            lateness = max(lateness, start.advanced(by: unit * timeout).duration(to: returned))
        }
        return Observation(result: result, final: final, lateness: lateness)
    }

    /// Calls the operation and writes its result as `asyncio_runner.py` does.
    private static func perform(_ scenario: Scenario, tasks: [Task<Int, any Error>], unit: Duration) async -> JSON {
        let inputs = scenario.inputs.map { tasks[$0] }
        let index = Dictionary(uniqueKeysWithValues: tasks.enumerated().map { ($1, $0) })
        let timeout = scenario.timeout.map { unit * $0 }
        switch scenario.op {
        case "wait":
            let returnWhen: ReturnWhen =
                switch scenario.returnWhen {
                case "FIRST_COMPLETED": .firstCompleted
                case "FIRST_EXCEPTION": .firstException
                default: .allCompleted
                }
            do {
                let (done, pending) = try await wait(inputs, timeout: timeout, returnWhen: returnWhen)
                return .object([
                    "done": .ints(done.map { index[$0]! }.sorted()),
                    "pending": .ints(pending.map { index[$0]! }.sorted()),
                ])
            } catch {
                return .object(["raised": .string(describe(error))])
            }

        case "as_completed":
            var order: [Int] = []
            do {
                for try await task in asCompleted(inputs, timeout: timeout) { order.append(index[task]!) }
                return .object(["order": .ints(order), "raised": .null])
            } catch {
                return .object(["order": .ints(order), "raised": .string(describe(error))])
            }

        case "gather":
            do {
                return .object(["values": .ints(try await gather(inputs))])
            } catch {
                return .object(["raised": .string(describe(error))])
            }

        case "gather_results":
            do {
                let results = try await gatherResults(inputs).map { result -> JSON in
                    switch result {
                    case .success(let value): .object(["value": .int(value)])
                    case .failure(let error): .object(["error": .string(describe(error))])
                    }
                }
                return .object(["values": .array(results)])
            } catch {
                return .object(["raised": .string(describe(error))])
            }

        case "wait_for":
            do {
                return .object(["value": .int(try await waitFor(inputs[0], timeout: timeout))])
            } catch {
                return .object(["raised": .string(describe(error))])
            }

        default:
            return .object(["unknown op": .string(scenario.op)])
        }
    }

    /// CPython's name for what was thrown.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DifferentialAPIError { return "APIError:\(error.value)" }
        if error is CancellationError { return "CancelledError" }
        if error is TimeoutError { return "TimeoutError" }
        if let error = error as? WaitError, error == .emptyTaskSet { return "ValueError" }  // empty input
        return "unexpected \(error)"
    }
}
