import Clocks
import Synchronization
import Testing
@testable import AsyncWait

/// Cancellation storms: thousands of waits whose callers are cancelled at seeded random points
/// while the tasks finish. Every call must end exactly once (its task completes: a lost wake-up
/// would hang, a double resume traps the checked continuations of this debug build), and
/// afterwards no registration may remain on any task.
@Suite("Cancellation storms", .timeLimit(.minutes(1)))
struct StormTests {
    static let operations = 8

    /// Runs operation `kind` on `tasks`; returns a tag for how it ended.
    static func run(_ kind: Int, _ tasks: [Task<Int, any Error>], set: TaskSet<Int, any Error>, clock: TestClock<Duration>) async -> String {
        do {
            switch kind {
            case 0: _ = try await wait(tasks, returnWhen: .firstCompleted)
            case 1: _ = try await wait(tasks, timeout: .seconds(1), returnWhen: .allCompleted, clock: clock)
            case 2: _ = try await gatherResults(tasks)
            case 3: for try await _ in asCompleted(tasks) {}
            case 4: var pending = Set(tasks); while !pending.isEmpty { _ = try await wait(updating: &pending, returnWhen: .firstCompleted) }
            case 5: _ = try await shield(tasks[0])
            case 6: _ = try await set.next()
            default: _ = try await set.wait(returnWhen: .firstException)
            }
            return "returned"
        } catch is CancellationError {
            return "cancelled"
        } catch {
            return "\(type(of: error))"
        }
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func callersCancelledAtRandomWhileTasksFinish(seed: UInt64) async throws {
        var generator = SeededGenerator(seed: seed)
        let taskCount = 40
        let callerCount = 2_000
        let clock = TestClock()
        let gates = (0..<taskCount).map { _ in Gate() }
        let tasks = gates.enumerated().map { index, gate in
            Task<Int, any Error> {
                await gate.wait()
                if index % 5 == 0 { throw Boom(id: index) }
                return index
            }
        }
        let set = TaskSet<Int, any Error>()
        for index in 0..<taskCount { set.spawn { await gates[index].wait(); return index } }
        let ended = Counter()
        var callers: [Task<String, Never>] = []
        callers.reserveCapacity(callerCount)
        var openOrder = Array(0..<taskCount)
        openOrder.shuffle(using: &generator)
        var opened = 0
        for index in 0..<callerCount {
            let kind = Int.random(in: 0..<Self.operations, using: &generator)
            let subset = Array(tasks.shuffled(using: &generator).prefix(Int.random(in: 1...6, using: &generator)))
            callers.append(Task {
                let outcome = await Self.run(kind, subset, set: set, clock: clock)
                ended.value.add(1, ordering: .relaxed)
                return outcome
            })
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: callers[Int.random(in: 0...index, using: &generator)].cancel()
            case 1: callers[index].cancel()
            case 2 where opened < taskCount: gates[openOrder[opened]].open(); opened += 1
            default: if index % 97 == 0 { await Task.yield() }
            }
        }
        for index in openOrder[opened...] { gates[index].open() }
        await clock.advance(by: .seconds(2))
        var outcomes: [String: Int] = [:]
        for caller in callers { outcomes[await caller.value, default: 0] += 1 }
        #expect(ended.value.load(ordering: .relaxed) == callerCount)  // every call ended exactly once
        #expect(outcomes.values.reduce(0, +) == callerCount)
        #expect(outcomes["cancelled", default: 0] > 0)
        #expect(outcomes["returned", default: 0] > 0)
        for task in tasks { _ = await task.result }
        let clean = await eventually { tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil } }
        #expect(clean, "registrations left behind (seed \(seed))")
        while let _ = try await set.next() {}
        #expect(set.core.state.withLock { $0.consumerCount } == 0)
    }
}

@Suite("Memory", .timeLimit(.minutes(5)))
struct MemoryTests {
    /// Resident memory of this process in bytes (Linux), or nil elsewhere.
    static func residentBytes() -> Int? {
        #if os(Linux)
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * 4096
        #else
        return nil
        #endif
    }

    /// Many short `wait` calls on the same long-lived tasks leave nothing behind. The call count
    /// is 1,000,000 with `ASYNCWAIT_MEMORY=1` (a minute in a debug build), 20,000 otherwise;
    /// the resident-memory figure is printed, not asserted (it depends on the allocator), while
    /// what AsyncWait itself retains is asserted exactly: no registration, no kept watcher.
    @Test(.timeLimit(.minutes(5)))
    func shortWaitsOnLongLivedTasksRetainNothing() async throws {
        let calls = Environment.memoryRun ? 1_000_000 : 20_000
        let gate = Gate()
        let tasks = (0..<4).map { gated(gate, $0) }
        let finished = Task<Int, any Error> { 9 }
        _ = await finished.result
        let before = Self.residentBytes()
        for call in 0..<calls {
            switch call % 4 {
            case 3: _ = try await wait(Set(tasks), timeout: .zero)  // a fresh set: kept watchers are capped
            case 0: _ = try await wait(tasks, timeout: .zero)
            case 1: _ = try await wait(tasks + [finished], returnWhen: .firstCompleted)  // registers, then deregisters
            default: _ = try await wait([tasks[0], tasks[1]], timeout: .nanoseconds(-1))
            }
        }
        let after = Self.residentBytes()
        if let before, let after {
            print("Memory: \(calls) wait calls on 4 long-lived tasks: resident \(before / 1024) KiB before, \(after / 1024) KiB after (\((after - before) / 1024) KiB)")
        }
        // Only the capped number of kept watchers may still be registered (one registration each).
        #expect(tasks.allSatisfy { (CompletionRegistry.existingRecord(for: $0)?.registrationCount ?? 0) <= PendingWatcherRegistry.capacity })
        gate.open()
        for task in tasks { _ = await task.result }
        let released = await eventually { tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0) == nil } }
        #expect(released)
    }
}

enum Environment {
    static var memoryRun: Bool { ProcessInfoShim.value("ASYNCWAIT_MEMORY") == "1" }
}

enum ProcessInfoShim {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared counter for tests.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
