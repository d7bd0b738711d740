import AsyncWait

extension W2g {
    /// Whether this build has the `inplace` variant (`wait(updating:)`, build flag
    /// `ASYNCWAIT_INPLACE`, on unless `ASYNCWAIT_BENCH_NO_INPLACE` is set when building).
    public static var hasInPlace: Bool {
        #if ASYNCWAIT_INPLACE
        true
        #else
        false
        #endif
    }

    /// AsyncWait: `let done = try await wait(updating: &pending, returnWhen: .firstCompleted)`.
    @concurrent public static func inPlace(n: Int) async throws -> Measurement {
        #if ASYNCWAIT_INPLACE
        let t0 = clock.now
        let (gates, tasks) = gatedTasks(n)
        var pending = Set(tasks)
        var loop = Loop(n: n, gates: gates, label: "W2g inplace")
        gates[0].open()
        while !pending.isEmpty {
            let done = try await wait(updating: &pending, returnWhen: .firstCompleted)
            try await loop.received(done)
        }
        return try loop.finish(t0)
        #else
        throw BenchError("W2g inplace: built without wait(updating:) (ASYNCWAIT_BENCH_NO_INPLACE was set)")
        #endif
    }
}
