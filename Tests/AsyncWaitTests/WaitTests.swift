import Clocks
import Testing
@testable import AsyncWait

struct Boom: Error, Equatable { var id = 0 }

/// A task that returns `value` once `gate` opens.
func gated(_ gate: Gate, _ value: Int = 0) -> Task<Int, any Error> {
    Task { await gate.wait(); return value }
}

/// A task that throws `Boom(id)` once `gate` opens.
func gatedFailure(_ gate: Gate, _ id: Int = 0) -> Task<Int, any Error> {
    Task { await gate.wait(); throw Boom(id: id) }
}

/// A task that throws `CancellationError` once `gate` opens (it "ends by cancellation").
func gatedCancellation(_ gate: Gate) -> Task<Int, any Error> {
    Task { await gate.wait(); throw CancellationError() }
}

@Suite("wait(_:timeout:returnWhen:)", .timeLimit(.minutes(1)))
struct WaitTests {
    // 1. wait starts nothing.
    @Test func startsNothing() async throws {
        let starts = Recorder<Int>()
        let tasks = (0..<3).map { i in Task<Int, Never> { starts.record(i); return i } }
        await starts.waitFor(3)
        let (done, pending) = try await wait(tasks)
        #expect(done == Set(tasks))
        #expect(pending.isEmpty)
        #expect(starts.events.count == 3)  // each body ran once, by its own task
    }

    // 2. allCompleted returns only when everything finished, whatever the order.
    @Test func allCompletedWaitsForEveryTask() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gated(gates[0]), gatedFailure(gates[1]), gatedCancellation(gates[2])]
        let waiter = Task { try await wait(tasks) }
        for gate in gates.reversed() { gate.open() }
        let (done, pending) = try await waiter.value
        #expect(done == Set(tasks))
        #expect(pending.isEmpty)
    }

    // 3. firstCompleted returns with the first, and done holds everything already finished.
    @Test func firstCompletedReturnsFirstFinished() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let waiter = Task { try await wait(tasks, returnWhen: .firstCompleted) }
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[1]])
        #expect(pending == [tasks[0], tasks[2]])
        for gate in gates { gate.open() }
    }

    @Test func firstCompletedDoneHoldsEveryFinishedTask() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        gates[0].open()
        gates[2].open()
        _ = await (tasks[0].result, tasks[2].result)
        let (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
        #expect(done == [tasks[0], tasks[2]])
        #expect(pending == [tasks[1]])
        gates[1].open()
    }

    // 4. firstException: cancellation is not a failure; a real error returns at once.
    @Test func firstExceptionIgnoresCancellation() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gatedCancellation(gates[0]), gatedFailure(gates[1]), gated(gates[2])]
        let waiter = Task { try await wait(tasks, returnWhen: .firstException) }
        gates[0].open()
        _ = await tasks[0].result
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[1]])
        #expect(pending == [tasks[2]])
        gates[2].open()
    }

    @Test func firstExceptionWithoutFailureIsAllCompleted() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gated(gates[0]), gatedCancellation(gates[1]), gated(gates[2])]
        let waiter = Task { try await wait(tasks, returnWhen: .firstException) }
        for gate in gates { gate.open() }
        let (done, pending) = try await waiter.value
        #expect(done == Set(tasks))
        #expect(pending.isEmpty)
    }

    // 5. Timeout: returns normally with the split at that moment; never throws on timeout.
    @Test func timeoutReturnsTheSplit() async throws {
        let clock = TestClock()
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        gates[0].open()
        _ = await tasks[0].result
        let waiter = Task { try await wait(tasks, timeout: .seconds(5), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(5))
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0]])
        #expect(pending == [tasks[1], tasks[2]])
        #expect(!tasks[1].isCancelled && !tasks[2].isCancelled)  // 6. not cancelled on timeout
        for gate in gates { gate.open() }
    }

    @Test func timeoutDoesNotFireBeforeItsTime() async throws {
        let clock = TestClock()
        let gate = Gate()
        let task = gated(gate)
        let waiter = Task { try await wait([task], timeout: .seconds(5), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(4))
        gate.open()  // finishes at 4 s, before the timeout
        let (done, pending) = try await waiter.value
        #expect(done == [task])
        #expect(pending.isEmpty)
    }

    @Test(arguments: [Duration.zero, .seconds(-1), .nanoseconds(-1)])
    func zeroOrNegativeTimeoutLooksWithoutTouchingTheClock(timeout: Duration) async throws {
        let clock = SpyClock()
        let gates = (0..<2).map { _ in Gate() }
        let tasks = gates.map { gated($0) }
        gates[0].open()
        _ = await tasks[0].result
        let (done, pending) = try await wait(tasks, timeout: timeout, returnWhen: .allCompleted, clock: clock)
        #expect(done == [tasks[0]])  // found finished when wait first looked
        #expect(pending == [tasks[1]])
        #expect(clock.sleeps.load(ordering: .relaxed) == 0)
        #expect(clock.nowReads.load(ordering: .relaxed) == 0)
        gates[1].open()
    }

    @Test func nilTimeoutHasNoLimit() async throws {
        let clock = SpyClock()
        let gate = Gate()
        let task = gated(gate)
        let waiter = Task { try await wait([task], timeout: nil, returnWhen: .allCompleted, clock: clock) }
        gate.open()
        let (done, _) = try await waiter.value
        #expect(done == [task])
        #expect(clock.sleeps.load(ordering: .relaxed) == 0)
    }

    // 6. wait never cancels a task, not even when its caller is cancelled.
    // 9. A cancelled caller gets CancellationError promptly; the tasks keep running.
    @Test func callerCancelledDuringWait() async throws {
        let gate = Gate()
        let tasks = [gated(gate, 1), gated(gate, 2)]
        let registered = Recorder<Void>()
        let waiter = Task {
            registered.record(())
            return try await wait(tasks)
        }
        await registered.waitFor(1)
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(tasks.allSatisfy { !$0.isCancelled })
        gate.open()  // still running: they finish normally
        #expect(try await tasks[0].value == 1)
        #expect(try await tasks[1].value == 2)
    }

    @Test func callerAlreadyCancelledEvenIfAllFinished() async throws {
        let task = Task<Int, Never> { 1 }
        _ = await task.value
        let gate = Gate()
        let waiter = Task {
            await gate.wait()  // is cancelled before it calls wait
            return try await wait([task])
        }
        waiter.cancel()
        gate.open()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    // 7. Duplicates collapse.
    @Test func duplicatesCollapse() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let tasks = gates.map { gated($0) }
        let waiter = Task { try await wait([tasks[0], tasks[1], tasks[0], tasks[0]], returnWhen: .firstCompleted) }
        gates[0].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0]])
        #expect(pending == [tasks[1]])
        gates[1].open()
    }

    // 8. Empty input throws a clear error, before cancellation is checked.
    @Test func emptyInputThrows() async throws {
        let error = await #expect(throws: WaitError.self) { try await wait([Task<Int, Never>]()) }
        #expect(error == .emptyTaskSet)
        #expect(error?.description.contains("set of tasks is empty") == true)

        let gate = Gate()
        let waiter = Task {
            await gate.wait()
            return try await wait([Task<Int, Never>]())
        }
        waiter.cancel()
        gate.open()
        let result = await waiter.result
        #expect(throws: WaitError.emptyTaskSet) { try result.get() }
    }

    // 10. Nothing of wait's own outlives what it watches.
    @Test func nothingRemainsAfterTasksFinish() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.map { gated($0) }
        let waiter = Task { try await wait(tasks, returnWhen: .firstCompleted) }
        gates[0].open()
        let (_, pending) = try await waiter.value
        // At most one registration per pending task stays: the one kept for the returned
        // `pending` set, which the next call on that set reuses instead of registering again
        // (other suites running in parallel may evict it: kept watchers are capped).
        weak let weakRecord = CompletionRegistry.existingRecord(for: tasks[1])
        #expect(weakRecord != nil)
        #expect((weakRecord?.registrationCount ?? 0) <= 1)
        _ = try await wait(pending, timeout: .zero)
        #expect((weakRecord?.registrationCount ?? 0) <= 1)
        #expect((CompletionRegistry.existingRecord(for: tasks[2])?.registrationCount ?? 0) <= 1)
        gates[1].open()
        gates[2].open()
        for task in tasks { _ = await task.result }
        let released = await eventually {
            weakRecord == nil && tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil }
        }
        #expect(released)
    }

    @Test func timedOutWaitKeepsOneRegistrationUntilTheTaskEnds() async throws {
        let clock = TestClock()
        let gate = Gate()
        let task = gated(gate)
        let waiter = Task { try await wait([task], timeout: .seconds(1), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        _ = try await waiter.value
        let record = try #require(CompletionRegistry.existingRecord(for: task))
        #expect(record.registrationCount <= 1)  // kept for the returned `pending` (unless evicted)
        gate.open()
        _ = await task.result
        let released = await eventually { CompletionRegistry.existingRecord(for: task) == nil }
        #expect(released)
    }

    // 11. Already-finished tasks are reported without a timer or a scheduler tick.
    @Test func alreadyFinishedTasksNeedNoTimer() async throws {
        let clock = TestClock()
        let tasks = (0..<3).map { i in Task<Int, Never> { i } }
        for task in tasks { _ = await task.value }
        // A long timeout on a clock nobody advances: only an immediate answer can return.
        let (done, pending) = try await wait(tasks, timeout: .seconds(60), clock: clock)
        #expect(done == Set(tasks))
        #expect(pending.isEmpty)
    }

    @Test func neverFailingTasksWork() async throws {
        let gate = Gate()
        let task = Task<String, Never> { await gate.wait(); return "ok" }
        let waiter = Task { try await wait([task], returnWhen: .firstException) }
        gate.open()
        let (done, _) = try await waiter.value
        #expect(await done.first?.value == "ok")
    }

    @Test func clockThatThrowsIsReported() async throws {
        let gate = Gate()
        let task = gated(gate)
        await #expect(throws: FailingClock.Broken()) {
            try await wait([task], timeout: .seconds(1), clock: FailingClock())
        }
        #expect(!task.isCancelled)
        #expect(CompletionRegistry.existingRecord(for: task)?.registrationCount ?? 0 == 0)
        gate.open()
    }

    @Test func concurrentWaitsOnTheSameTasksBothAnswer() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let tasks = gates.map { gated($0) }
        let first = Task { try await wait(tasks, returnWhen: .firstCompleted) }
        let all = Task { try await wait(tasks) }
        gates[1].open()
        #expect(try await first.value.done == [tasks[1]])
        gates[0].open()
        #expect(try await all.value.done == Set(tasks))
    }
}
