import Clocks
import Testing
@testable import AsyncWait

@Suite("TaskSet", .timeLimit(.minutes(1)))
struct TaskSetTests {
    @Test func emptySet() async throws {
        let set = TaskSet<Int, any Error>()
        #expect(set.isEmpty)
        #expect(try await set.next() == nil)
        #expect(try await set.nextResult() == nil)
        await #expect(throws: WaitError.emptyTaskSet) { try await set.wait() }
    }

    @Test func nextInCompletionOrderReverseOfSpawn() async throws {
        let set = TaskSet<Int, Never>()
        let gates = (0..<4).map { _ in Gate() }
        let tasks = gates.enumerated().map { index, gate in set.spawn { await gate.wait(); return index } }
        #expect(set.count == 4)
        var order: [Int] = []
        for gate in gates.reversed() {
            gate.open()
            let task = try #require(try await set.next())
            order.append(await task.value)
        }
        #expect(order == [3, 2, 1, 0])
        #expect(try await set.next() == nil)
        #expect(set.isEmpty)
        _ = tasks
    }

    @Test func nextResultCarriesErrorsAndCancellation() async throws {
        let set = TaskSet<Int, any Error>()
        set.spawn { throw Boom(id: 1) }
        let results = Recorder<String>()
        while let result = try await set.nextResult() {
            switch result {
            case .success(let value): results.record("value \(value)")
            case .failure(let error): results.record("\(error)")
            }
        }
        #expect(results.events == ["Boom(id: 1)"])
    }

    @Test func waitFirstCompletedTakesDoneOutAndKeepsPending() async throws {
        let set = TaskSet<Int, any Error>()
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { index, gate in set.spawn { await gate.wait(); return index } }
        let waiter = Task { try await set.wait(returnWhen: .firstCompleted) }
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[1]])
        #expect(pending == [tasks[0], tasks[2]])
        #expect(set.count == 2)
        gates[0].open()
        gates[2].open()
        let (rest, none) = try await set.wait()
        #expect(rest == [tasks[0], tasks[2]])
        #expect(none.isEmpty)
        #expect(set.isEmpty)
    }

    @Test func waitFirstExceptionIgnoresCancellation() async throws {
        let set = TaskSet<Int, any Error>()
        let gates = (0..<3).map { _ in Gate() }
        let cancelled = set.spawn { await gates[0].wait(); throw CancellationError() }
        let failed = set.spawn { await gates[1].wait(); throw Boom() }
        let running = set.spawn { await gates[2].wait(); return 2 }
        let waiter = Task { try await set.wait(returnWhen: .firstException) }
        gates[0].open()
        _ = await cancelled.result
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [cancelled, failed])
        #expect(pending == [running])
        gates[2].open()
    }

    @Test func waitTimeoutReturnsSplitWithoutCancelling() async throws {
        let clock = TestClock()
        let set = TaskSet<Int, any Error>()
        let gate = Gate()
        let task = set.spawn { await gate.wait(); return 1 }
        let waiter = Task { try await set.wait(timeout: .seconds(2), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(2))
        let (done, pending) = try await waiter.value
        #expect(done.isEmpty)
        #expect(pending == [task])
        #expect(!task.isCancelled)
        gate.open()
    }

    @Test func zeroTimeoutLooksOnly() async throws {
        let set = TaskSet<Int, Never>()
        let gate = Gate()
        let finished = set.spawn { 1 }
        _ = await finished.value
        let finishedReported = await eventually { set.count == 1 }
        #expect(finishedReported)
        let running = set.spawn { await gate.wait(); return 2 }
        let (done, pending) = try await set.wait(timeout: .zero, returnWhen: .allCompleted, clock: SpyClock())
        #expect(done == [finished])
        #expect(pending == [running])
        gate.open()
    }

    @Test func callerCancelledWhileWaitingTakesNothingOut() async throws {
        let set = TaskSet<Int, any Error>()
        let gate = Gate()
        let task = set.spawn { await gate.wait(); return 1 }
        let entered = Recorder<Void>()
        let waiter = Task {
            entered.record(())
            return try await set.next()
        }
        await entered.waitFor(1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!task.isCancelled)
        gate.open()
        #expect(try await set.next() == task)  // still in the set
    }

    @Test func concurrentConsumersEachGetDistinctTasks() async throws {
        let set = TaskSet<Int, Never>()
        let count = 200
        let gate = Gate()
        for i in 0..<count { set.spawn { await gate.wait(); return i } }
        let consumers = (0..<4).map { _ in
            Task {
                var got: [Int] = []
                while let task = try await set.next() { got.append(await task.value) }
                return got
            }
        }
        let waiter = Task { try await set.wait(timeout: .seconds(3600), returnWhen: .completed(atLeast: 1)) }
        let allWaiting = await eventually { set.core.state.withLock { $0.consumerCount } == 5 }
        #expect(allWaiting)
        gate.open()
        var all: [Int] = []
        for consumer in consumers { all += try await consumer.value }
        let fromWait = try await waiter.value.done
        for task in fromWait { all.append(await task.value) }
        #expect(all.sorted() == Array(0..<count))
    }

    @Test func releasingTheSetCancelsItsTasks() async throws {
        let cancelled = Recorder<Int>()
        var handle: Task<Int, any Error>?
        do {
            let set = TaskSet<Int, any Error>()
            handle = set.spawn {
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record(1); throw error }
                return 0
            }
        }
        await cancelled.waitFor(1)  // observed through the task's own catch block
        let result = try #require(await handle?.result)
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func cancelAllCancelsRunningTasks() async throws {
        let set = TaskSet<Int, any Error>()
        for _ in 0..<3 { set.spawn { try await Task.sleep(for: .seconds(3600)); return 0 } }
        set.cancelAll()
        var cancellations = 0
        while let result = try await set.nextResult() {
            if case .failure(let error) = result, error is CancellationError { cancellations += 1 }
        }
        #expect(cancellations == 3)
    }

    @Test func tutorialLoopOverATaskSet() async throws {
        let set = TaskSet<Int, Never>()
        let gates = (0..<50).map { _ in Gate() }
        for (index, gate) in gates.enumerated() { set.spawn { await gate.wait(); return index } }
        var seen: [Int] = []
        var generator = SeededGenerator(seed: 7)
        let order = Array(0..<50).shuffled(using: &generator)
        var next = 0
        while !set.isEmpty {
            if next < order.count { gates[order[next]].open(); next += 1 }
            let (done, _) = try await set.wait(returnWhen: .firstCompleted)
            for task in done { seen.append(await task.value) }
        }
        #expect(seen.sorted() == Array(0..<50))
    }
}

@Suite("withTaskSet", .timeLimit(.minutes(1)))
struct WithTaskSetTests {
    @Test func waitsForEveryTaskIncludingOnesSpawnedWhileExiting() async throws {
        let finished = Recorder<Int>()
        let gate = Gate()
        let value = try await withTaskSet(of: Void.self) { set in
            set.spawn {
                await gate.wait()
                set.spawn { finished.record(2) }  // spawned by a task while the scope exits
                finished.record(1)
            }
            gate.open()
            return 7
        }
        #expect(value == 7)
        #expect(Set(finished.events) == [1, 2])
    }

    @Test func firstFailureCancelsSiblingsAndBodyThenThrowsGroupError() async throws {
        let cancelled = Recorder<String>()
        let error = await #expect(throws: TaskGroupError.self) {
            try await withTaskSet(of: Int.self) { set in
                set.spawn {
                    do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record("sibling"); throw error }
                    return 0
                }
                set.spawn { throw Boom(id: 5) }
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record("body"); throw error }
                return 0
            }
        }
        #expect(error?.errors.count == 1)
        #expect(error?.errors.first as? Boom == Boom(id: 5))
        #expect(Set(cancelled.events) == ["sibling", "body"])
        #expect(!Task.isCancelled)  // the caller's task is not left cancelled
    }

    @Test func bodyErrorIsIncludedAndCancelsTasks() async throws {
        let cancelled = Recorder<Int>()
        let error = await #expect(throws: TaskGroupError.self) {
            try await withTaskSet(of: Int.self) { set in
                set.spawn {
                    do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record(1); throw error }
                    return 0
                }
                throw Boom(id: 8)
            }
        }
        #expect(error?.errors.map { $0 as? Boom } == [Boom(id: 8)])
        #expect(cancelled.events == [1])
    }

    @Test func allFailuresInOrder() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let error = await #expect(throws: TaskGroupError.self) {
            try await withTaskSet(of: Int.self) { set in
                // Both ignore cancellation, so both fail; the second opens after the first failed.
                let first = set.spawn { await gates[0].wait(); throw Boom(id: 1) }
                set.spawn { await gates[1].wait(); throw Boom(id: 2) }
                gates[0].open()
                _ = await first.result
                gates[1].open()
                return 0
            }
        }
        #expect(error?.errors.map { $0 as? Boom } == [Boom(id: 1), Boom(id: 2)])
    }

    @Test func cancelledTasksAreNotFailures() async throws {
        let value = try await withTaskSet(of: Int.self) { set in
            set.spawn { throw CancellationError() }
            return 3
        }
        #expect(value == 3)
    }

    @Test func callerCancelledCancelsEverythingAndThrowsCancellationError() async throws {
        let cancelled = Recorder<String>()
        let entered = Recorder<Void>()
        let scope = Task {
            try await withTaskSet(of: Int.self) { set in
                set.spawn {
                    do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record("task"); throw error }
                    return 0
                }
                entered.record(())
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.record("body"); throw error }
                return 0
            }
        }
        await entered.waitFor(1)
        scope.cancel()
        await #expect(throws: CancellationError.self) { try await scope.value }
        #expect(Set(cancelled.events) == ["task", "body"])
    }

    @Test func callerCancelledButATaskFailedThrowsGroupError() async throws {
        let entered = Recorder<Void>()
        let scope = Task {
            try await withTaskSet(of: Int.self) { set in
                set.spawn {
                    do { try await Task.sleep(for: .seconds(3600)) } catch { throw Boom(id: 3) }
                    return 0
                }
                entered.record(())
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
        await entered.waitFor(1)
        scope.cancel()
        let error = await #expect(throws: TaskGroupError.self) { try await scope.value }
        #expect(error?.errors.map { $0 as? Boom } == [Boom(id: 3)])
    }

    @Test func spawningAfterTheScopeEndedNeverRuns() async throws {
        let ran = Recorder<Int>()
        let escaped = try await withTaskSet(of: Int.self) { set in set }
        let late = escaped.spawn { ran.record(1); return 1 }
        await #expect(throws: TaskSetError.scopeEnded) { try await late.value }
        #expect(ran.events.isEmpty)
    }

    @Test func spawningWhileShuttingDownNeverRuns() async throws {
        let ran = Recorder<Int>()
        let refused = Recorder<String>()
        await #expect(throws: TaskGroupError.self) {
            try await withTaskSet(of: Int.self) { set in
                let failing = set.spawn { throw Boom() }
                _ = await failing.result
                let gone = await eventually { Task.isCancelled }  // the body was interrupted
                #expect(gone)
                let late = set.spawn { ran.record(1); return 1 }
                if case .failure(let error) = await late.result { refused.record("\(error)") }
                return 0
            }
        }
        #expect(ran.events.isEmpty)
        #expect(refused.events == [TaskSetError.shuttingDown.description])
    }
}

@Suite("Quorum and firstSuccess", .timeLimit(.minutes(1)))
struct QuorumTests {
    @Test func firstSuccessSkipsFailures() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gatedFailure(gates[0]), gated(gates[1], 1), gated(gates[2], 2)]
        let waiter = Task { try await wait(tasks, returnWhen: .firstSuccess) }
        gates[0].open()
        _ = await tasks[0].result
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[1]])
        #expect(pending == [tasks[2]])
        gates[2].open()
    }

    @Test func firstSuccessWhenAllFailIsAllCompleted() async throws {
        let gates = (0..<2).map { _ in Gate() }
        let tasks = [gatedFailure(gates[0]), gatedCancellation(gates[1])]
        let waiter = Task { try await wait(tasks, returnWhen: .firstSuccess) }
        for gate in gates { gate.open() }
        let (done, pending) = try await waiter.value
        #expect(done == Set(tasks))
        #expect(pending.isEmpty)
    }

    @Test func completedAtLeast() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gatedFailure(gates[0]), gated(gates[1], 1), gated(gates[2], 2)]
        let waiter = Task { try await wait(tasks, returnWhen: .completed(atLeast: 2)) }
        gates[0].open()
        _ = await tasks[0].result
        gates[2].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[2]])
        #expect(pending == [tasks[1]])
        gates[1].open()
    }

    @Test func succeededAtLeastReturnsWhenMet() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { gated($1, $0) }
        let waiter = Task { try await wait(tasks, returnWhen: .succeeded(atLeast: 2)) }
        gates[2].open()
        _ = await tasks[2].result
        gates[0].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[2]])
        #expect(pending == [tasks[1]])
        gates[1].open()
    }

    @Test func succeededAtLeastReturnsWhenUnreachable() async throws {
        let gates = (0..<3).map { _ in Gate() }
        let tasks = [gatedFailure(gates[0]), gatedCancellation(gates[1]), gated(gates[2], 2)]
        let waiter = Task { try await wait(tasks, returnWhen: .succeeded(atLeast: 2)) }
        gates[0].open()
        _ = await tasks[0].result
        gates[1].open()  // now at most 1 can succeed
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[1]])
        #expect(pending == [tasks[2]])
        gates[2].open()
    }

    @Test(arguments: [0, -1, 3])
    func quorumOutOfRangeThrows(k: Int) async throws {
        let gate = Gate()
        let tasks = [gated(gate), gated(gate)]
        let distinct = tasks + [tasks[0]]  // k counts distinct tasks: 2 here
        let kValue = k
        let error = await #expect(throws: WaitError.self) {
            try await wait(distinct, returnWhen: .completed(atLeast: kValue))
        }
        #expect(error == .quorumOutOfRange(required: kValue, tasks: 2))
        let error2 = await #expect(throws: WaitError.self) {
            try await wait(distinct, returnWhen: .succeeded(atLeast: kValue))
        }
        #expect(error2 == .quorumOutOfRange(required: kValue, tasks: 2))
        #expect(tasks.allSatisfy { CompletionRegistry.existingRecord(for: $0)?.registrationCount ?? 0 == 0 })
        gate.open()
    }

    @Test func quorumOnATaskSet() async throws {
        let set = TaskSet<Int, any Error>()
        let gates = (0..<3).map { _ in Gate() }
        let tasks = gates.enumerated().map { index, gate in set.spawn { await gate.wait(); return index } }
        let waiter = Task { try await set.wait(returnWhen: .succeeded(atLeast: 2)) }
        gates[0].open()
        _ = await tasks[0].result
        gates[1].open()
        let (done, pending) = try await waiter.value
        #expect(done == [tasks[0], tasks[1]])
        #expect(pending == [tasks[2]])
        await #expect(throws: WaitError.quorumOutOfRange(required: 2, tasks: 1)) {
            try await set.wait(returnWhen: .completed(atLeast: 2))
        }
        gates[2].open()
    }
}
