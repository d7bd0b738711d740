import Testing
@testable import AsyncWait

/// The state machines as plain values: every event, in both orders where a race is possible.
/// A continuation is needed as a token; each test resumes it exactly once at the end.
@Suite("State machines", .timeLimit(.minutes(1)))
struct StateMachineTests {
    /// Hands `body` a fresh continuation, then resumes it (once) after `body` returns.
    func withToken(_ body: (WaitContinuation) -> Void) async {
        await withWaitContinuation { continuation in
            body(continuation)
            continuation.resume()
        }
    }

    @Test func waitCancelledBeforeItSuspends() async {
        await withToken { token in
            var machine = WaitStateMachine(total: 2, condition: .allCompleted)
            // The cancellation handler can run before the operation (an already cancelled
            // caller): the interrupt is kept, and suspending resumes at once.
            guard case .none = machine.interrupt(.cancelled) else { Issue.record("resumed nothing yet"); return }
            guard case .resumeNow = machine.suspend(token) else { Issue.record("should not suspend"); return }
            guard case .interrupted(.cancelled) = machine.finish(timedOutIfUnmet: false) else { Issue.record("exit"); return }
        }
    }

    @Test func waitCancelledAfterItSuspended() async {
        await withToken { token in
            var machine = WaitStateMachine(total: 2, condition: .allCompleted)
            guard case .suspend = machine.suspend(token) else { Issue.record("should suspend"); return }
            guard case .resume = machine.interrupt(.cancelled) else { Issue.record("should resume"); return }
            guard case .none = machine.interrupt(.timedOut) else { Issue.record("first interrupt wins"); return }
            guard case .none = machine.taskFinished(slot: 0, outcome: .returned) else { Issue.record("late event"); return }
            guard case .interrupted(.cancelled) = machine.finish(timedOutIfUnmet: false) else { Issue.record("exit"); return }
        }
    }

    @Test func waitConditionMetWhileRegistering() async {
        await withToken { token in
            var machine = WaitStateMachine(total: 3, condition: .firstCompleted)
            guard case .none = machine.taskFinished(slot: 2, outcome: .failed) else { Issue.record("not yet suspended"); return }
            guard case .resumeNow = machine.suspend(token) else { Issue.record("met before suspending"); return }
            guard case .conditionMet = machine.finish(timedOutIfUnmet: false) else { Issue.record("exit"); return }
            #expect(machine.finishedSlots == [2])
            #expect(machine.outcomes == [nil, nil, .failed])
        }
    }

    @Test func firstExceptionCountsFailuresNotCancellations() async {
        await withToken { token in
            var machine = WaitStateMachine(total: 3, condition: .firstException)
            guard case .suspend = machine.suspend(token) else { Issue.record("should suspend"); return }
            guard case .none = machine.taskFinished(slot: 0, outcome: .cancelled) else { Issue.record("cancellation is no failure"); return }
            guard case .none = machine.taskFinished(slot: 1, outcome: .returned) else { Issue.record("a value is no failure"); return }
            guard case .resume = machine.taskFinished(slot: 2, outcome: .returned) else { Issue.record("all finished"); return }
        }
    }

    @Test func zeroTimeoutFinishesAsTimedOutUnlessMet() {
        var unmet = WaitStateMachine(total: 2, condition: .allCompleted)
        _ = unmet.taskFinished(slot: 0, outcome: .returned)
        guard case .interrupted(.timedOut) = unmet.finish(timedOutIfUnmet: true) else { Issue.record("unmet"); return }
        var met = WaitStateMachine(total: 2, condition: .firstCompleted)
        _ = met.taskFinished(slot: 1, outcome: .returned)
        guard case .conditionMet = met.finish(timedOutIfUnmet: true) else { Issue.record("met"); return }
    }

    @Test func returnWhenTable() {
        // (condition, total, completed, succeeded, failed) -> satisfied
        let rows: [(ReturnWhen, Int, Int, Int, Int, Bool)] = [
            (.firstCompleted, 3, 0, 0, 0, false), (.firstCompleted, 3, 1, 0, 0, true),
            (.firstException, 3, 2, 1, 0, false), (.firstException, 3, 1, 0, 1, true), (.firstException, 2, 2, 0, 0, true),
            (.allCompleted, 3, 2, 2, 0, false), (.allCompleted, 3, 3, 0, 0, true),
            (.firstSuccess, 3, 2, 0, 2, false), (.firstSuccess, 3, 1, 1, 0, true), (.firstSuccess, 2, 2, 0, 1, true),
            (.completed(atLeast: 2), 3, 1, 1, 0, false), (.completed(atLeast: 2), 3, 2, 0, 2, true),
            (.succeeded(atLeast: 2), 3, 1, 1, 0, false), (.succeeded(atLeast: 2), 3, 2, 2, 0, true),
            (.succeeded(atLeast: 2), 3, 2, 0, 2, true),  // unreachable: at most 1 more can succeed
            (.firstUnsuccessful, 3, 1, 1, 0, false), (.firstUnsuccessful, 3, 1, 0, 0, true),
        ]
        for (condition, total, completed, succeeded, failed, expected) in rows {
            let satisfied = condition.isSatisfied(total: total, completed: completed, succeeded: succeeded, failed: failed)
            #expect(satisfied == expected, "\(condition) total \(total) completed \(completed) succeeded \(succeeded) failed \(failed)")
        }
    }

    final class Probe: CompletionObserver {
        func taskDidFinish(slot: Int, outcome: TaskOutcome) {}
    }

    @Test func completionRecordRegistrations() {
        var record = CompletionRecordStateMachine()
        let first = Probe(), second = Probe()
        guard case .registered = record.register(.init(observer: first, slot: 0)) else { Issue.record("register"); return }
        guard case .registered = record.register(.init(observer: second, slot: 4)) else { Issue.record("register"); return }
        #expect(record.registrationCount == 2)
        record.deregister(ObjectIdentifier(first))
        record.deregister(ObjectIdentifier(first))  // idempotent
        #expect(record.registrationCount == 1)
        guard case .notifyOne(let only) = record.finish(.failed) else { Issue.record("notify the one left"); return }
        #expect(only.slot == 4 && only.observer === second)
        guard case .alreadyFinished(.failed) = record.register(.init(observer: first, slot: 1)) else { Issue.record("late"); return }
        #expect(record.outcome == .failed)
    }

    @Test func asCompletedQueuesInCompletionOrderAndKeepsAnEarlyInterrupt() async {
        var machine = AsCompletedStateMachine(total: 3)
        _ = machine.taskFinished(slot: 2)
        _ = machine.taskFinished(slot: 0)
        guard case .yield(slot: 2) = machine.next(), case .yield(slot: 0) = machine.next() else { Issue.record("order"); return }
        guard case .suspend = machine.next() else { Issue.record("one left"); return }
        // A timer firing (or a cancellation) before the consumer suspends is not lost.
        guard case .none = machine.interrupt(.timedOut) else { Issue.record("kept"); return }
        let wakeup = await withAsyncWaitContinuation { (token: AsyncWaitContinuation<AsCompletedStateMachine.Wakeup>) in
            switch machine.suspend(token) {
            case .resumeNow(let wakeup): token.resume(returning: wakeup)
            case .suspended: Issue.record("lost the interrupt"); token.resume(returning: .finished(slot: -1))
            }
        }
        guard case .interrupted(.timedOut) = wakeup else { Issue.record("timed out"); return }
    }

    @Test func asCompletedReadySlotWinsOverAnInterrupt() async {
        var machine = AsCompletedStateMachine(total: 2)
        guard case .suspend = machine.next() else { Issue.record("empty"); return }
        _ = machine.interrupt(.timedOut)
        _ = machine.taskFinished(slot: 1)  // finished before the timeout was seen
        let wakeup = await withAsyncWaitContinuation { (token: AsyncWaitContinuation<AsCompletedStateMachine.Wakeup>) in
            switch machine.suspend(token) {
            case .resumeNow(let wakeup): token.resume(returning: wakeup)
            case .suspended: Issue.record("should not wait"); token.resume(returning: .finished(slot: -1))
            }
        }
        guard case .finished(slot: 1) = wakeup else { Issue.record("the finished task first"); return }
    }

    @Test func pendingWatcherKeepsCompletionsBetweenCalls() async {
        var machine = PendingWatcherStateMachine(registered: 3)
        guard case .none = machine.taskFinished(slot: 1, outcome: .returned) else { Issue.record("idle"); return }
        machine.beginCall()
        let (exit, taken) = machine.endCall()
        guard case .conditionMet = exit else { Issue.record("exit"); return }
        #expect(taken == [1])
        // A cancelled call takes nothing: the completion stays for the next call.
        _ = machine.taskFinished(slot: 0, outcome: .failed)
        machine.beginCall()
        _ = machine.interrupt(.cancelled)
        let (cancelled, none) = machine.endCall()
        guard case .interrupted(.cancelled) = cancelled else { Issue.record("cancelled"); return }
        #expect(none.isEmpty)
        // The last completion between calls lets the watcher go.
        guard case .discard = machine.taskFinished(slot: 2, outcome: .cancelled) else { Issue.record("discard"); return }
        machine.beginCall()
        let rest = machine.endCall().taken
        #expect(rest == [0, 2])
    }
}
