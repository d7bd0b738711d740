import Foundation
import Testing

/// Settings from the environment.
///
/// - `ASYNCWAIT_SOAK=N`: N scenarios per operation instead of 2,000 (for example 100000).
/// - `ASYNCWAIT_MODEL_SEED=S` (and optionally `ASYNCWAIT_MODEL_OP=wait`): replay one seed.
enum ModelSettings {
    static let environment = ProcessInfo.processInfo.environment
    static let soakCount = environment["ASYNCWAIT_SOAK"].flatMap { Int($0) }
    static let scenariosPerOperation = soakCount ?? 2_000
    static let replaySeed = environment["ASYNCWAIT_MODEL_SEED"].flatMap { UInt64($0) }
    static let replayOperation = environment["ASYNCWAIT_MODEL_OP"]
    /// Scenarios in flight at once, per operation. Most of a scenario's time is spent waiting
    /// for a task to be scheduled, so several in flight keep both cores busy.
    static let width = 16
    /// Failures printed in full; the rest are listed by seed.
    static let printedFailures = 3
}

@Suite("Model-based randomized tests", .timeLimit(ModelSettings.soakCount == nil ? .minutes(1) : .minutes(240)))
struct ModelTests {
    /// Seeded random scenarios replayed on the real implementation, compared step by step with
    /// the reference model (ReferenceModel.swift). Every failure names its seed.
    @Test(arguments: Model.Kind.allCases)
    func realImplementationFollowsTheModel(_ kind: Model.Kind) async {
        let seeds: [UInt64]
        if let seed = ModelSettings.replaySeed {
            if let operation = ModelSettings.replayOperation, operation != kind.rawValue { return }
            seeds = [seed]
        } else {
            seeds = Array(1...UInt64(ModelSettings.scenariosPerOperation))
        }
        let failures = await Model.Driver.runAll(kind, seeds: seeds, width: ModelSettings.width)
        for failure in failures.prefix(ModelSettings.printedFailures) {
            Issue.record(Comment(rawValue: failure))
        }
        if failures.count > ModelSettings.printedFailures {
            let stopped = failures.count >= Model.Driver.stopAfterFailures ? " (stopped there)" : ""
            Issue.record(Comment(rawValue: "\(failures.count) \(kind) scenarios failed\(stopped)"))
        }
    }

    /// The generator is a pure function of the seed, so a printed seed replays.
    @Test func scenariosReplayFromTheirSeed() {
        for kind in Model.Kind.allCases {
            let first = Model.Generator.scenario(kind, seed: 42).description
            let again = Model.Generator.scenario(kind, seed: 42).description
            #expect(first == again)
        }
    }
}
