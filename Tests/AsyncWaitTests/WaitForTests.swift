import Clocks
import Testing
@testable import AsyncWait

@Suite("waitFor(_:timeout:)", .timeLimit(.minutes(1)))
struct WaitForTests {
    @Test func returnsTheValueInTime() async throws {
        let clock = TestClock()
        let gate = Gate()
        let task = gated(gate, 7)
        let waiter = Task { try await waitFor(task, timeout: .seconds(5), clock: clock) }
        gate.open()
        #expect(try await waiter.value == 7)
    }

    @Test func rethrowsTheTasksError() async throws {
        let gate = Gate()
        let task = gatedFailure(gate, 3)
        let waiter = Task { try await waitFor(task, timeout: nil) }
        gate.open()
        await #expect(throws: Boom(id: 3)) { try await waiter.value }
    }

    @Test func timeoutCancelsWaitsAndThrowsTimeoutError() async throws {
        let clock = TestClock()
        let cancelled = Recorder<Int>()
        let task = cancellable(cancelled)
        let waiter = Task { try await waitFor(task, timeout: .seconds(1), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        await #expect(throws: TimeoutError.self) { try await waiter.value }
        #expect(task.isCancelled)
        #expect(cancelled.events == [0])  // it had finished (by cancellation) before waitFor threw
    }

    @Test func timeoutReturnsAValueReturnedAnyway() async throws {
        let clock = TestClock()
        let gate = Gate()
        let task = stubborn(gate, 9)  // ignores cancellation
        let waiter = Task { try await waitFor(task, timeout: .seconds(1), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        let cancelledNow = await eventually { task.isCancelled }
        #expect(cancelledNow)
        gate.open()  // waitFor is still waiting for the task to actually finish
        #expect(try await waiter.value == 9)
    }

    @Test func timeoutRethrowsAnotherError() async throws {
        let clock = TestClock()
        let task = Task<Int, any Error> {
            do { try await Task.sleep(for: .seconds(3600)) } catch { throw Boom(id: 4) }
            return 0
        }
        let waiter = Task { try await waitFor(task, timeout: .seconds(1), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        await #expect(throws: Boom(id: 4)) { try await waiter.value }
    }

    @Test(arguments: [Duration.zero, .seconds(-2)])
    func zeroTimeoutOnAFinishedTaskGivesItsResult(timeout: Duration) async throws {
        let task = Task<Int, Never> { 5 }
        _ = await task.value
        #expect(try await waitFor(task, timeout: timeout, clock: SpyClock()) == 5)
    }

    @Test func zeroTimeoutOnARunningTaskTimesOut() async throws {
        let task = cancellable()
        await #expect(throws: TimeoutError.self) { try await waitFor(task, timeout: .zero, clock: SpyClock()) }
        #expect(task.isCancelled)
    }

    @Test func callerCancellationIsForwarded() async throws {
        let cancelled = Recorder<Int>()
        let task = cancellable(cancelled)
        let waiter = Task { try await waitFor(task, timeout: nil) }
        #expect(await watched(task))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(cancelled.events == [0])
    }

    /// CPython 3.12+ (checked on 3.13.0):
    /// ```python
    /// async def returns_anyway():
    ///     try: await asyncio.sleep(10)
    ///     except asyncio.CancelledError: return 5
    /// t = asyncio.create_task(returns_anyway())
    /// c = asyncio.create_task(asyncio.wait_for(t, None)); await asyncio.sleep(0.01); c.cancel()
    /// print(await c)   # 5
    /// ```
    @Test func callerCancelledButTaskReturnedAnyway() async throws {
        let gate = Gate()
        let task = stubborn(gate, 5)
        let waiter = Task { try await waitFor(task, timeout: nil) }
        #expect(await watched(task))
        waiter.cancel()
        let forwarded = await eventually { task.isCancelled }
        #expect(forwarded)
        gate.open()
        #expect(try await waiter.value == 5)
    }
}
