import Clocks
import Testing
@testable import AsyncWait

/// One test per row of the bad-input table in the docs (`BadInputAndMisuse.md`): each gets a
/// clear, typed answer, loses nothing, and neither crashes nor hangs.
@Suite("Bad input and misuse", .timeLimit(.minutes(1)))
struct BadInputTests {
    @Test func emptyTaskSets() async throws {
        let none = [Task<Int, any Error>]()
        await #expect(throws: WaitError.emptyTaskSet) { try await wait(none) }
        var empty = Set(none)
        await #expect(throws: WaitError.emptyTaskSet) { try await wait(updating: &empty) }
        await #expect(throws: WaitError.emptyTaskSet) { try await TaskSet<Int, any Error>().wait() }
        #expect(try await gather(none).isEmpty)
        #expect(try await gatherResults(none).isEmpty)
        let (values, error) = await drain(asCompleted(none, timeout: .zero))
        #expect(values.isEmpty && error == nil)
    }

    @Test(arguments: [Duration.zero, .seconds(-5), .nanoseconds(-1), Duration(secondsComponent: Int64.min, attosecondsComponent: 0)])
    func zeroAndNegativeTimeoutsLookWithoutWaiting(timeout: Duration) async throws {
        let gate = Gate()
        let task = gated(gate)
        let clock = SpyClock()
        let (done, pending) = try await wait([task], timeout: timeout, returnWhen: .allCompleted, clock: clock)
        #expect(done.isEmpty && pending == [task])
        await #expect(throws: TimeoutError.self) { try await waitFor(cancellable(), timeout: timeout, clock: clock) }
        #expect(clock.sleeps.load(ordering: .relaxed) == 0)
        gate.open()
    }

    /// ContinuousClock.sleep traps for deadlines past Int64.max seconds; such limits mean
    /// "no limit" here, and the call behaves exactly as with `nil`.
    @Test(arguments: [Duration.seconds(Int64.max), Duration(secondsComponent: Int64.max, attosecondsComponent: 999_999_999_999_999_999)])
    func absurdlyLargeTimeoutsAreNoLimit(timeout: Duration) async throws {
        let gate = Gate()
        let task = gated(gate, 4)
        let waiter = Task { try await wait([task], timeout: timeout) }
        #expect(await watched(task))
        gate.open()
        let (done, _) = try await waiter.value
        #expect(done == [task])
        #expect(try await waitFor(task, timeout: timeout) == 4)
        #expect(try await withTimeout(timeout) { 5 } == 5)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        #expect(try await withDeadline(deadline, clock: ContinuousClock()) { 6 } == 6)
        var seen: [Int] = []
        for try await finished in asCompleted([task], timeout: timeout) { seen.append(try await finished.value) }
        #expect(seen == [4])
    }

    @Test func quorumOutOfRange() async throws {
        let gate = Gate()
        let tasks = [gated(gate), gated(gate)]
        await #expect(throws: WaitError.quorumOutOfRange(required: 3, tasks: 2)) {
            try await wait(tasks, returnWhen: .succeeded(atLeast: 3))
        }
        await #expect(throws: WaitError.quorumOutOfRange(required: 0, tasks: 2)) {
            try await wait(tasks, returnWhen: .completed(atLeast: 0))
        }
        #expect(tasks.allSatisfy { !$0.isCancelled })
        gate.open()
        #expect(try await wait(tasks, returnWhen: .completed(atLeast: 2)).done == Set(tasks))  // nothing lost
    }

    @Test func waitingTwiceConcurrentlyOnTheSameTasks() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let first = Task { try await wait(tasks, returnWhen: .firstCompleted) }
        let second = Task { try await wait(tasks, returnWhen: .firstCompleted) }
        let all = Task { try await gather(tasks) }
        #expect(await watched(tasks[0], by: 3))
        gates[2].open()
        #expect(try await first.value.done == [tasks[2]])
        #expect(try await second.value.done == [tasks[2]])
        gates[0].open()
        gates[1].open()
        #expect(try await all.value == [0, 1, 2])
    }

    /// asyncio: `await asyncio.wait([asyncio.current_task()])` never returns; awaiting the
    /// current task raises `RuntimeError('Task cannot await on itself')`. AsyncWait throws.
    @Test func waitingOnItselfThrowsInsteadOfDeadlocking() async throws {
        let handle = Recorder<Task<Int, any Error>>()
        let gate = Gate()
        let other = gated(gate, 1)
        let selfWaiter = Task<Int, any Error> {
            let me = await handle.waitFor(1)[0]
            var errors: [WaitError] = []
            for attempt in 0..<6 {
                do {
                    switch attempt {
                    case 0: _ = try await wait([me, other])
                    case 1: _ = try await waitFor(me, timeout: nil)
                    case 2: _ = try await shield(me)
                    case 3: _ = try await gather([other, me])
                    case 4: var pending: Set = [me]; _ = try await wait(updating: &pending)
                    default: for try await _ in asCompleted([me]) {}
                    }
                } catch let error as WaitError {
                    errors.append(error)
                }
            }
            return errors.count
        }
        handle.record(selfWaiter)
        #expect(try await selfWaiter.value == 6)
        #expect(!other.isCancelled)
        gate.open()
    }

    @Test func spawningIntoAnEndedScope() async throws {
        let ran = Recorder<Int>()
        let set = try await withTaskSet(of: Int.self) { $0 }
        let late = set.spawn { ran.record(1); return 1 }
        let error = await #expect(throws: TaskSetError.self) { try await late.value }
        #expect(error == .scopeEnded)
        #expect(error?.description.contains("not started") == true)
        #expect(ran.events.isEmpty)
    }

    @Test func clockWhoseSleepThrows() async throws {
        let gate = Gate()
        let task = gated(gate)
        await #expect(throws: FailingClock.Broken()) { try await wait([task], timeout: .seconds(1), clock: FailingClock()) }
        await #expect(throws: FailingClock.Broken()) { try await waitFor(task, timeout: .seconds(1), clock: FailingClock()) }
        var pending: Set = [task]
        await #expect(throws: FailingClock.Broken()) {
            try await wait(updating: &pending, timeout: .seconds(1), clock: FailingClock())
        }
        #expect(pending == [task])
        let (values, error) = await drain(asCompleted([task], timeout: .seconds(1), clock: FailingClock()))
        #expect(values.isEmpty && error is FailingClock.Broken)
        #expect(!task.isCancelled)  // nothing lost: the task still runs
        gate.open()
        #expect(try await task.value == 0)
    }
}
