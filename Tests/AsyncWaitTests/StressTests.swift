import Testing
@testable import AsyncWait

@Suite("Stress", .timeLimit(.minutes(1)))
struct StressTests {
    /// 10,000 tasks finishing in a seeded random order, consumed with the tutorial loop:
    /// every task appears in exactly one `done` set.
    @Test(arguments: [UInt64(1), 2])
    func tutorialLoopOverTenThousandTasks(seed: UInt64) async throws {
        let count = 10_000
        let gates = (0..<count).map { _ in Gate() }
        let tasks = gates.enumerated().map { index, gate in Task<Int, Never> { await gate.wait(); return index } }
        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        order.shuffle(using: &generator)
        let opener = Task {
            for (step, index) in order.enumerated() {
                gates[index].open()
                if step % 64 == 0 { await Task.yield() }  // let the loop see partial batches
            }
        }
        var seen = [Int](repeating: 0, count: count)
        var pending = Set(tasks)
        while !pending.isEmpty {
            let done: Set<Task<Int, Never>>
            (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
            #expect(!done.isEmpty)
            for task in done { seen[await task.value] += 1 }
        }
        await opener.value
        #expect(seen.allSatisfy { $0 == 1 })
        let released = await eventually { tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil } }
        #expect(released)
    }
}
