import Clocks
import Synchronization

extension TestClock where Duration == Swift.Duration {
    /// Suspends until at least one sleep is registered on this clock, so that a following
    /// `advance` cannot pass the deadline before the sleeper registered.
    func waitForSleepers() async {
        while true {
            do { try await checkSuspension() } catch { return }  // throws when someone sleeps
            await Task.yield()
        }
    }
}

/// A clock that counts how often it was read and slept on, forwarding to a `TestClock`.
final class SpyClock: Clock, Sendable {
    typealias Duration = Swift.Duration
    typealias Instant = TestClock<Duration>.Instant
    let base = TestClock()
    let nowReads = Atomic<Int>(0)
    let sleeps = Atomic<Int>(0)

    var now: Instant { nowReads.add(1, ordering: .relaxed); return base.now }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        sleeps.add(1, ordering: .relaxed)
        try await base.sleep(until: deadline, tolerance: tolerance)
    }
}

/// A clock whose `sleep` throws, for the bad-input rows.
struct FailingClock: Clock {
    struct Broken: Error, Equatable {}
    typealias Duration = Swift.Duration
    var now: ContinuousClock.Instant { ContinuousClock().now }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws { throw Broken() }
}

/// A `TestClock` that counts sleeps *after* they are registered with it, so a test can wait
/// until a sleeper is in place and only then advance: no race between a sleeper registering and
/// the test moving time past (or exactly onto) its deadline.
final class RegisteredClock: Clock, Sendable {
    typealias Duration = Swift.Duration
    typealias Instant = TestClock<Duration>.Instant
    let base = TestClock()
    private let registered = Atomic<Int>(0)

    var now: Instant { base.now }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        // `Task.immediate` runs up to its first suspension before returning: the sleep is
        // registered with the base clock by then.
        let base = self.base
        let sleeper = Task.immediate { try await base.sleep(until: deadline, tolerance: tolerance) }
        registered.add(1, ordering: .sequentiallyConsistent)
        try await withTaskCancellationHandler { try await sleeper.value } onCancel: { sleeper.cancel() }
    }

    /// Suspends (yielding) until `count` sleeps in all have been registered.
    func waitForRegistrations(_ count: Int) async -> Bool {
        await eventually { registered.load(ordering: .sequentiallyConsistent) >= count }
    }

    func advance(by duration: Duration) async { await base.advance(by: duration) }
}
