import Clocks
import Testing
@testable import AsyncWait

@Suite("wait(updating:timeout:returnWhen:)", .timeLimit(.minutes(1)))
struct WaitUpdatingTests {
    @Test func tutorialLoopInPlace() async throws {
        let gates = (0..<20).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        var pending = Set(tasks)
        var seen: [Int] = []
        var generator = SeededGenerator(seed: 3)
        let order = Array(0..<20).shuffled(using: &generator)
        for index in order {
            gates[index].open()
            let done = try await wait(updating: &pending, returnWhen: .firstCompleted)
            #expect(!done.isEmpty)
            #expect(done.isDisjoint(with: pending))
            for task in done { seen.append(try await task.value) }
        }
        #expect(pending.isEmpty)
        #expect(seen.sorted() == Array(0..<20))
    }

    @Test func registrationsAreKeptAcrossCallsNotRedone() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        var pending = Set(tasks)
        gates[0].open()
        _ = await tasks[0].result
        let first = try await wait(updating: &pending, returnWhen: .firstCompleted)
        #expect(first == [tasks[0]])
        #expect(pending == [tasks[1], tasks[2]])
        // The watcher stays registered (one registration per pending task) between calls,
        // unless other suites running in parallel evicted it (kept watchers are capped).
        #expect((CompletionRegistry.existingRecord(for: tasks[1])?.registrationCount ?? 0) <= 1)
        gates[2].open()
        let second = try await wait(updating: &pending, returnWhen: .firstCompleted)
        #expect(second == [tasks[2]])
        #expect((CompletionRegistry.existingRecord(for: tasks[1])?.registrationCount ?? 0) <= 1)  // not doubled
        gates[1].open()
        let last = try await wait(updating: &pending)
        #expect(last == [tasks[1]])
        #expect(pending.isEmpty)
        let released = await eventually { CompletionRegistry.existingRecord(for: tasks[1]) == nil }
        #expect(released)
    }

    @Test func changingTheSetBetweenCallsIsNoticed() async throws {
        let gates = (0..<4).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        var pending: Set = [tasks[0], tasks[1]]
        let timedOut = try await wait(updating: &pending, timeout: .zero, returnWhen: .firstCompleted, clock: SpyClock())
        #expect(timedOut.isEmpty)
        // Swap one task for another, keeping the count: the new storage is noticed.
        pending.remove(tasks[1])
        pending.insert(tasks[2])
        gates[2].open()
        let done = try await wait(updating: &pending, returnWhen: .firstCompleted)
        #expect(done == [tasks[2]])
        #expect(pending == [tasks[0]])
        // A kept copy of the set does not confuse it either.
        let copy = pending
        pending.insert(tasks[3])
        gates[3].open()
        gates[0].open()
        let rest = try await wait(updating: &pending)
        #expect(rest == [tasks[0], tasks[3]])
        #expect(copy == [tasks[0]])
        gates[1].open()
    }

    @Test func timeoutReturnsWhatFinishedAndLeavesTheRest() async throws {
        let clock = TestClock()
        let gates = (0..<2).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        var pending = Set(tasks)
        gates[0].open()
        _ = await tasks[0].result
        let pendingCopy = pending
        let waiter = Task {
            var pending = pendingCopy
            let done = try await wait(updating: &pending, timeout: .seconds(3), clock: clock)
            return (done, pending)
        }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(3))
        let (done, rest) = try await waiter.value
        #expect(done == [tasks[0]])
        #expect(rest == [tasks[1]])
        #expect(!tasks[1].isCancelled)
        pending = rest
        gates[1].open()
        #expect(try await wait(updating: &pending) == [tasks[1]])
    }

    @Test func cancelledCallerLeavesPendingUnchanged() async throws {
        let gate = Gate()
        let tasks = [gated(gate, 0), gated(gate, 1)]
        let waiter = Task {
            var pending = Set(tasks)
            do {
                _ = try await wait(updating: &pending)
                return (pending, false)
            } catch is CancellationError {
                return (pending, true)
            }
        }
        #expect(await watched(tasks[0]))
        waiter.cancel()
        let (pending, threw) = try await waiter.value
        #expect(threw)
        #expect(pending == Set(tasks))
        #expect(tasks.allSatisfy { !$0.isCancelled })
        gate.open()
        for task in tasks { _ = await task.result }
        let released = await eventually { tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil } }
        #expect(released)  // the kept registrations went away with the tasks
    }

    @Test func emptyAndQuorumErrors() async throws {
        var empty = Set<Task<Int, any Error>>()
        await #expect(throws: WaitError.emptyTaskSet) { try await wait(updating: &empty) }
        let gate = Gate()
        var one: Set = [gated(gate)]
        await #expect(throws: WaitError.quorumOutOfRange(required: 2, tasks: 1)) {
            try await wait(updating: &one, returnWhen: .completed(atLeast: 2))
        }
        #expect(one.count == 1)
        gate.open()
    }
}

@Suite("wait(_:) on a Set reuses kept registrations", .timeLimit(.minutes(1)))
struct WaitOnSetTests {
    @Test func tutorialLoopKeepsOneRegistrationPerTask() async throws {
        let gates = (0..<4).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        var pending = Set(tasks)
        for (step, gate) in gates.enumerated() {
            gate.open()
            let done: Set<Task<Int, any Error>>
            (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
            #expect(done == [tasks[step]])
            for task in pending {
                // Registered at most once (by the watcher kept for `pending`), not once per call.
                #expect((CompletionRegistry.existingRecord(for: task)?.registrationCount ?? 0) <= 1)
            }
        }
        #expect(pending.isEmpty)
    }

    @Test func callerKeepingOldSetsStillGetsCorrectAnswers() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let original = Set(tasks)
        gates[0].open()
        _ = await tasks[0].result
        let (done1, pending1) = try await wait(original, returnWhen: .firstCompleted)
        #expect(done1 == [tasks[0]] && pending1 == [tasks[1], tasks[2]])
        // Ask again about the original set (kept by the caller): task 0 is still reported.
        let (done2, pending2) = try await wait(original, timeout: .zero)
        #expect(done2 == [tasks[0]] && pending2 == [tasks[1], tasks[2]])
        gates[2].open()
        let (done3, pending3) = try await wait(pending1, returnWhen: .firstCompleted)
        #expect(done3 == [tasks[2]] && pending3 == [tasks[1]])
        gates[1].open()
        let (done4, _) = try await wait(original)
        #expect(done4 == original)
    }

    @Test func moreSetsThanKeptWatchersEvictsWithoutLosingAnything() async throws {
        let gate = Gate()
        let tasks = (0..<3).map { gated(gate, $0) }
        var sets: [Set<Task<Int, any Error>>] = []
        for _ in 0..<(PendingWatcherRegistry.capacity + 50) {
            let (done, pending) = try await wait(Set(tasks), timeout: .zero)
            #expect(done.isEmpty)
            sets.append(pending)
        }
        #expect(CompletionRegistry.existingRecord(for: tasks[0])?.registrationCount ?? 0 <= PendingWatcherRegistry.capacity)
        gate.open()
        for set in sets.suffix(3) + sets.prefix(3) {  // evicted and kept sets alike
            let (done, pending) = try await wait(set)
            #expect(done == Set(tasks) && pending.isEmpty)
        }
        let released = await eventually { tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil } }
        #expect(released)
    }
}
