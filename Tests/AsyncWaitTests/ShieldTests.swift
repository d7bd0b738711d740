import Clocks
import Testing
@testable import AsyncWait

@Suite("shield(_:)", .timeLimit(.minutes(1)))
struct ShieldTests {
    @Test func returnsTheResult() async throws {
        let gate = Gate()
        let task = gated(gate, 3)
        let waiter = Task { try await shield(task) }
        gate.open()
        #expect(try await waiter.value == 3)
    }

    @Test func rethrowsTheError() async throws {
        let gate = Gate()
        let task = gatedFailure(gate, 1)
        let waiter = Task { try await shield(task) }
        gate.open()
        await #expect(throws: Boom(id: 1)) { try await waiter.value }
    }

    @Test func cancelledCallerReturnsPromptlyAndTheTaskKeepsRunning() async throws {
        let gate = Gate()
        let task = gated(gate, 4)
        let waiter = Task { try await shield(task) }
        #expect(await watched(task))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!task.isCancelled)
        gate.open()
        #expect(try await task.value == 4)  // the result stays available to others
        #expect(try await shield(task) == 4)
    }

    /// Ruling 1 (issue 8): a finished task's result comes back even to a cancelled caller.
    /// CPython 3.12/3.13 hand back a finished task as it is, and awaiting it does not suspend:
    /// ```python
    /// done = asyncio.create_task(asyncio.sleep(0, result=7)); await done
    /// async def caller():
    ///     asyncio.current_task().cancel()
    ///     print(await asyncio.shield(done))   # prints 7: no suspension, no CancelledError
    /// ```
    @Test func finishedTaskWithCancelledCaller() async throws {
        let finished = Task<Int, Never> { 7 }
        _ = await finished.value
        let failed = Task<Int, any Error> { throw Boom(id: 2) }
        _ = await failed.result
        let gate = Gate()
        let waiter = Task {
            await gate.wait()
            let value = try await shield(finished)
            let error = await #expect(throws: Boom.self) { try await shield(failed) }
            return (value, error)
        }
        waiter.cancel()
        gate.open()
        let (value, error) = try await waiter.value
        #expect(value == 7)
        #expect(error == Boom(id: 2))
    }

    @Test func finishedTaskInsideAnExpiredScope() async throws {
        let finished = Task<Int, Never> { 8 }
        _ = await finished.value
        let value = try await withTimeout(.zero, clock: SpyClock()) { try await shield(finished) }
        #expect(value == 8)
    }
}
