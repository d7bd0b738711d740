import Testing
@testable import AsyncWait

@Suite("gather / gatherResults", .timeLimit(.minutes(1)))
struct GatherTests {
    @Test func emptyReturnsEmpty() async throws {
        #expect(try await gather([Task<Int, any Error>]()).isEmpty)
        #expect(try await gatherResults([Task<Int, any Error>]()).isEmpty)
    }

    @Test func valuesInInputOrderWhateverTheCompletionOrder() async throws {
        let gates = (0..<4).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0 * 10) }
        let waiter = Task { try await gather(tasks) }
        for gate in gates.reversed() { gate.open() }
        #expect(try await waiter.value == [0, 10, 20, 30])
    }

    @Test func duplicatesAppearAtEachPosition() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0 + 1) }
        let waiter = Task { try await gather([tasks[1], tasks[0], tasks[1]]) }
        for gate in gates { gate.open() }
        #expect(try await waiter.value == [2, 1, 2])
        let results = try await gatherResults([tasks[0], tasks[0]])
        #expect(results.map { try? $0.get() } == [1, 1])
    }

    @Test func alreadyFinishedTasks() async throws {
        let tasks = (0..<3).map { i in Task<Int, Never> { i } }
        for task in tasks { _ = await task.value }
        #expect(try await gather(tasks) == [0, 1, 2])
    }

    @Test func firstFailureThrowsAtOnceWithoutCancellingTheOthers() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gated(gates[0]), gatedFailure(gates[1], 1), gatedFailure(gates[2], 2)]
        let waiter = Task { try await gather(tasks) }
        gates[1].open()
        await #expect(throws: Boom(id: 1)) { try await waiter.value }
        #expect(!tasks[0].isCancelled && !tasks[2].isCancelled)
        gates[2].open()
        gates[0].open()
    }

    @Test func allFailThrowsTheFirstInCompletionOrder() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gatedFailure($1, $0) }
        let waiter = Task { try await gather(tasks) }
        #expect(await watched(tasks[0]))
        gates[2].open()  // reverse order: the last input fails first
        await #expect(throws: Boom(id: 2)) { try await waiter.value }
        gates[1].open()
        gates[0].open()
    }

    @Test func cancelledInputThrowsCancellationError() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let tasks = [gated(gates[0]), gatedCancellation(gates[1])]
        let waiter = Task { try await gather(tasks) }
        gates[1].open()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        gates[0].open()
    }

    @Test func callerCancelledCancelsEveryTaskAndWaitsForThem() async throws {
        let cancelled = Recorder<Int>()
        let tasks = (0..<3).map { cancellable(cancelled, id: $0) }
        let waiter = Task { try await gather(tasks) }
        #expect(await watched(tasks[2]))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(Set(cancelled.events) == [0, 1, 2])  // all had ended before gather threw
    }

    @Test func gatherResultsCollectsEverythingInOrder() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gated(gates[0], 5), gatedFailure(gates[1], 1), gatedCancellation(gates[2])]
        let waiter = Task { try await gatherResults(tasks) }
        for gate in gates.reversed() { gate.open() }
        let results = try await waiter.value
        #expect(try results[0].get() == 5)
        #expect(throws: Boom(id: 1)) { try results[1].get() }
        #expect(throws: CancellationError.self) { try results[2].get() }
    }

    @Test func gatherResultsCallerCancelled() async throws {
        let cancelled = Recorder<Int>()
        let tasks = (0..<2).map { cancellable(cancelled, id: $0) }
        let waiter = Task { try await gatherResults(tasks) }
        #expect(await watched(tasks[1]))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(Set(cancelled.events) == [0, 1])
    }

    @Test func variadicGather() async throws {
        let gate = Gate()
        let number = Task<Int, any Error> { await gate.wait(); return 1 }
        let text = Task<String, any Error> { "two" }
        let waiter = Task { try await gather(number, text, number) }
        gate.open()
        let (a, b, c) = try await waiter.value
        #expect(a == 1 && b == "two" && c == 1)
    }

    @Test func variadicGatherThrowsFirstFailure() async throws {
        let gate = Gate()
        let ok = Task<Int, any Error> { await gate.wait(); return 1 }
        let bad = Task<String, any Error> { throw Boom(id: 7) }
        await #expect(throws: Boom(id: 7)) { try await gather(ok, bad) }
        #expect(!ok.isCancelled)
        gate.open()
    }

    @Test func variadicGatherEmpty() async throws {
        try await gather()
    }
}
