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
