import Clocks
import Testing
@testable import AsyncWait

@Suite("withTimeout / withDeadline", .timeLimit(.minutes(1)))
struct TimeoutScopeTests {
    @Test func returnsTheValueInTime() async throws {
        let clock = TestClock()
        let value = try await withTimeout(.seconds(1), clock: clock) { 42 }
        #expect(value == 42)
    }

    @Test func propagatesTheOperationsError() async throws {
        await #expect(throws: Boom(id: 1)) {
            try await withTimeout(.seconds(1), clock: TestClock()) { () async throws -> Int in throw Boom(id: 1) }
        }
    }

    @Test func expiryThrowsTimeoutErrorAfterTheOperationEnded() async throws {
        let clock = TestClock()
        let ended = Recorder<String>()
        let scope = Task {
            try await withTimeout(.seconds(2), clock: clock) { () async throws -> Int in
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    ended.record("cancelled")
                    throw error
                }
                return 1
            }
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(2))
        await #expect(throws: TimeoutError.self) { try await scope.value }
        #expect(ended.events == ["cancelled"])  // structured: it ended before the scope threw
    }

    @Test func valueReturnedAnywayAfterExpiry() async throws {
        let clock = TestClock()
        let gate = Gate()
        let scope = Task {
            try await withTimeout(.seconds(1), clock: clock) { () async throws -> Int in
                await gate.wait()  // ignores cancellation
                return 3
            }
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        gate.open()
        #expect(try await scope.value == 3)
    }

    @Test func otherErrorAfterExpiryPropagatesUnchanged() async throws {
        let clock = TestClock()
        let scope = Task {
            try await withTimeout(.seconds(1), clock: clock) { () async throws -> Int in
                do { try await Task.sleep(for: .seconds(3600)) } catch { throw Boom(id: 9) }
                return 0
            }
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        await #expect(throws: Boom(id: 9)) { try await scope.value }
    }

    /// Both the caller's cancellation and the expiry have happened before the operation ends
    /// (it ignores cancellation until its gate opens): `CancellationError` wins. The same
    /// choreography without the caller's cancellation must give `TimeoutError`, which shows
    /// the expiry was seen.
    @Test(arguments: [true, false])
    func callerCancellationWinsOverExpiry(callerCancelled: Bool) async throws {
        let clock = TestClock()
        let gate = Gate()
        let entered = Recorder<Void>()
        let scope = Task {
            try await withTimeout(.seconds(1), clock: clock) { () async throws -> Int in
                entered.record(())
                await gate.wait()
                try Task.checkCancellation()
                return 0
            }
        }
        await entered.waitFor(1)
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        // The timer's sleep has returned (no sleeper left); let its child report before the
        // operation ends.
        var timerDone = false
        for _ in 0..<1_000 where !timerDone { timerDone = (try? await clock.checkSuspension()) != nil }
        #expect(timerDone)
        for _ in 0..<100 { await Task.yield() }
        // Cancelling the caller first would stop the timer too; here both have happened.
        if callerCancelled { scope.cancel() }
        gate.open()
        let result = await scope.result
        if callerCancelled {
            #expect(throws: CancellationError.self) { try result.get() }
        } else {
            #expect(throws: TimeoutError.self) { try result.get() }
        }
    }

    @Test func callerAlreadyCancelledGetsCancellationError() async throws {
        let gate = Gate()
        let scope = Task {
            await gate.wait()
            return try await withTimeout(.zero, clock: SpyClock()) { () async throws -> Int in
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
        scope.cancel()
        gate.open()
        await #expect(throws: CancellationError.self) { try await scope.value }
    }

    @Test func innerTimeoutPassesThroughOuterScopeUnchanged() async throws {
        let clock = TestClock()
        let outerCancelled = Recorder<Bool>()
        let scope = Task {
            try await withTimeout(.seconds(10), clock: clock) { () async throws -> Int in
                do {
                    return try await withTimeout(.seconds(1), clock: clock) { () async throws -> Int in
                        try await Task.sleep(for: .seconds(3600))
                        return 0
                    }
                } catch {
                    outerCancelled.record(Task.isCancelled)
                    throw error
                }
            }
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))
        await #expect(throws: TimeoutError.self) { try await scope.value }
        #expect(outerCancelled.events == [false])  // the outer operation was never cancelled
    }

    @Test func deadlineInThePastStartsTheOperationCancelled() async throws {
        let clock = TestClock()
        await clock.advance(by: .seconds(5))
        let ran = Recorder<Bool>()
        await #expect(throws: TimeoutError.self) {
            try await withDeadline(clock.now.advanced(by: .seconds(-1)), clock: clock) { () async throws -> Int in
                ran.record(Task.isCancelled)
                try Task.checkCancellation()
                return 1
            }
        }
        #expect(ran.events == [true])  // it still ran, cancelled
    }

    @Test func deadlineScopeExpiresAtTheDeadline() async throws {
        let clock = TestClock()
        let deadline = clock.now.advanced(by: .seconds(3))
        let scope = Task {
            try await withDeadline(deadline, clock: clock) { () async throws -> Int in
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(3))
        await #expect(throws: TimeoutError.self) { try await scope.value }
    }

    @Test func failingClockCancelsAndReportsTheClocksError() async throws {
        await #expect(throws: FailingClock.Broken()) {
            try await withTimeout(.seconds(1), clock: FailingClock()) { () async throws -> Int in
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
    }

    @Test func callerTaskIsNotLeftCancelledAfterExpiry() async throws {
        let result = try? await withTimeout(.zero, clock: SpyClock()) { () async throws -> Int in
            try Task.checkCancellation()
            return 1
        }
        #expect(result == nil)
        #expect(!Task.isCancelled)
    }
}
