/// Runs `body`, which suspends until something wakes it, beside a high-priority timer child
/// that calls `interrupt(.timedOut)` at `deadline` (or `interrupt(.clockFailed)` if the clock's
/// `sleep` throws). The timer is a child task, stopped and awaited before this returns, so
/// nothing of it outlives the call.
///
/// High priority: a timer at default priority queues behind thousands of task starts.
func withDeadlineTimer<C: Clock, Result: Sendable>(
    _ deadline: C.Instant, clock: C,
    interrupt: @escaping @Sendable (WaitStateMachine.Interrupt) -> Void,
    body: () async -> Result
) async -> Result {
    await withTaskGroup(of: Void.self) { group in
        group.addTask(priority: .high) {
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
                interrupt(.timedOut)
            } catch is CancellationError {
                // The call ended first.
            } catch {
                interrupt(.clockFailed(error))
            }
        }
        let result = await body()
        group.cancelAll()
        return result
    }
}
