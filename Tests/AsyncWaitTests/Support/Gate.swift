import Synchronization

/// A one-shot gate a test opens: tasks that `await gate.wait()` resume when it opens.
/// Ordering in tests comes from gates, never from sleeps.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init() {}

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var waiterCount: Int { state.withLock { $0.waiters.count } }
}

/// Records events from many tasks; a test can wait until a number of them arrived.
final class Recorder<Event: Sendable>: Sendable {
    private let state = Mutex<(events: [Event], waiters: [(Int, CheckedContinuation<Void, Never>)])>(([], []))

    init() {}

    func record(_ event: Event) {
        let ready = state.withLock { state in
            state.events.append(event)
            let count = state.events.count
            let ready = state.waiters.filter { $0.0 <= count }.map(\.1)
            state.waiters.removeAll { $0.0 <= count }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    var events: [Event] { state.withLock { $0.events } }

    /// Suspends until at least `count` events were recorded; returns them all.
    @discardableResult
    func waitFor(_ count: Int) async -> [Event] {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.events.count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
        return events
    }
}

/// A deterministic random generator (SplitMix64) so a failing seed replays.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Yields until `condition` holds; fails (returns false) after `limit` yields. For conditions
/// that become true by other tasks' progress (a released object, a finished observer), with no
/// dependence on wall-clock time.
func eventually(limit: Int = 100_000, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<limit {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}

@testable import AsyncWait

/// Suspends until `count` AsyncWait operations are registered on `task`: the caller of one is
/// then suspended inside it. Ordering by observation, not by time.
func watched<S, F>(_ task: Task<S, F>, by count: Int = 1) async -> Bool {
    await eventually { (CompletionRegistry.existingRecord(for: task)?.registrationCount ?? 0) >= count }
}

/// A task that ignores cancellation until `gate` opens, then returns `value`.
func stubborn(_ gate: Gate, _ value: Int) -> Task<Int, any Error> {
    Task { await gate.wait(); return value }
}

/// A task that runs until cancelled, then ends by `CancellationError` (and records it).
func cancellable(_ cancelled: Recorder<Int>? = nil, id: Int = 0) -> Task<Int, any Error> {
    Task {
        while true {
            do { try await Task.sleep(for: .seconds(3600)) } catch {
                cancelled?.record(id)
                throw error
            }
        }
    }
}
