import Clocks
import Testing
@testable import AsyncWait

/// Collects what an `asCompleted` iteration yields (as task values) and how it ended.
func drain<C: Clock>(_ sequence: AsCompleted<Int, any Error, C>, onYield: @Sendable (Int) -> Void = { _ in }) async -> (values: [Int], error: (any Error)?) {
    var values: [Int] = []
    do {
        for try await task in sequence {
            let value = (try? await task.value) ?? -1
            values.append(value)
            onYield(value)
        }
        return (values, nil)
    } catch {
        return (values, error)
    }
}

@Suite("asCompleted(_:timeout:)", .timeLimit(.minutes(1)))
struct AsCompletedTests {
    @Test func yieldsInCompletionOrderReverseOfInput() async throws {
        let gates = (0..<4).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let yielded = Recorder<Int>()
        let consumer = Task { await drain(asCompleted(tasks), onYield: { yielded.record($0) }) }
        for (step, gate) in gates.reversed().enumerated() {
            gate.open()
            await yielded.waitFor(step + 1)
        }
        let (values, error) = await consumer.value
        #expect(values == [3, 2, 1, 0])
        #expect(error == nil)
    }

    @Test func failuresAndCancellationsAreYieldedNotThrown() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gatedFailure(gates[0]), gatedCancellation(gates[1]), gated(gates[2], 2)]
        let yielded = Recorder<Int>()
        let consumer = Task { await drain(asCompleted(tasks), onYield: { yielded.record($0) }) }
        for (step, gate) in gates.enumerated() { gate.open(); await yielded.waitFor(step + 1) }
        let (values, error) = await consumer.value
        #expect(values == [-1, -1, 2])
        #expect(error == nil)
    }

    @Test func alreadyFinishedComeFirstAndDuplicatesCollapse() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        gates[2].open()
        _ = await tasks[2].result
        let consumer = Task { await drain(asCompleted([tasks[0], tasks[2], tasks[0], tasks[1], tasks[2]])) }
        #expect(await watched(tasks[0]))
        gates[1].open()
        _ = await tasks[1].result
        gates[0].open()
        let (values, error) = await consumer.value
        #expect(values == [2, 1, 0])
        #expect(error == nil)
    }

    /// Ruling 3 (issue 8): empty input ends at once, whatever the timeout. CPython 3.13:
    /// `[f async for f in asyncio.as_completed([], timeout=0)]` is `[]` (also for -1 and None).
    @Test(arguments: [nil, Duration.zero, .seconds(-1), .seconds(5)])
    func emptyInputEndsAtOnce(timeout: Duration?) async throws {
        let clock = SpyClock()
        let (values, error) = await drain(asCompleted([Task<Int, any Error>](), timeout: timeout, clock: clock))
        #expect(values.isEmpty)
        #expect(error == nil)
        #expect(clock.sleeps.load(ordering: .relaxed) == 0)
    }

    @Test func timeoutThrowsOnceThenEndsAndCancelsNothing() async throws {
        let clock = TestClock()
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let consumer = Task {
            var iterator = asCompleted(tasks, timeout: .seconds(5), clock: clock).makeAsyncIterator()
            let first = try await iterator.next()
            var second: (any Error)?
            do { _ = try await iterator.next() } catch { second = error }
            let third = try await iterator.next()
            return (first, second, third)
        }
        gates[1].open()
        #expect(await watched(tasks[0]))
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(5))
        let (first, second, third) = try await consumer.value
        #expect(first == tasks[1])
        #expect(second is TimeoutError)
        #expect(third == nil)
        #expect(tasks.allSatisfy { !$0.isCancelled })
        let released = await eventually { CompletionRegistry.existingRecord(for: tasks[0])?.registrationCount == 0 }
        #expect(released)
        for gate in gates { gate.open() }
    }

    @Test func timeoutStartsWhenAsCompletedIsCalled() async throws {
        let clock = TestClock()
        let gate = Gate()
        let task = gated(gate)
        let sequence = asCompleted([task], timeout: .seconds(5), clock: clock)
        await clock.advance(by: .seconds(6))  // before iterating: already expired
        let (values, error) = await drain(sequence)
        #expect(values.isEmpty)
        #expect(error is TimeoutError)
        gate.open()
    }

    @Test func zeroTimeoutYieldsFinishedThenThrows() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        gates[0].open()
        gates[2].open()
        _ = await (tasks[0].result, tasks[2].result)
        let (values, error) = await drain(asCompleted(tasks, timeout: .zero, clock: SpyClock()))
        #expect(values == [0, 2])
        #expect(error is TimeoutError)
        gates[1].open()
    }

    /// Ruling 2 (issue 8): a consumer already cancelled gets CancellationError first, yielding
    /// nothing, even with finished inputs and a zero timeout. CPython 3.13:
    /// ```python
    /// async def consumer():
    ///     asyncio.current_task().cancel()
    ///     async for f in asyncio.as_completed([done], timeout=0): print("yielded")  # never
    /// # raises CancelledError
    /// ```
    @Test(arguments: [nil, Duration.zero])
    func alreadyCancelledConsumerThrowsFirst(timeout: Duration?) async throws {
        let finished = Task<Int, any Error> { 1 }
        _ = await finished.result
        let gate = Gate()
        let consumer = Task {
            await gate.wait()
            return await drain(asCompleted([finished], timeout: timeout, clock: SpyClock()))
        }
        consumer.cancel()
        gate.open()
        let (values, error) = await consumer.value
        #expect(values.isEmpty)
        #expect(error is CancellationError)
    }

    @Test func consumerCancelledWhileWaitingThrowsPromptly() async throws {
        let gate = Gate()
        let task = gated(gate)
        let consumer = Task { await drain(asCompleted([task])) }
        #expect(await watched(task))
        consumer.cancel()
        let (values, error) = await consumer.value
        #expect(values.isEmpty)
        #expect(error is CancellationError)
        #expect(!task.isCancelled)
        #expect(CompletionRegistry.existingRecord(for: task)?.registrationCount == 0)
        gate.open()
    }

    @Test func leavingTheLoopEarlyReleasesRegistrations() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        gates[0].open()
        for try await task in asCompleted(tasks) {
            #expect(task == tasks[0])
            break
        }
        for task in tasks.dropFirst() {
            #expect(CompletionRegistry.existingRecord(for: task)?.registrationCount == 0)
        }
        for gate in gates { gate.open() }
    }
}
