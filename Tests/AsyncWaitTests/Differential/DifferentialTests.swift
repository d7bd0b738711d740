import Foundation
import Testing

/// AsyncWait against CPython's asyncio, on the scenarios of `Tests/Differential`.
///
/// **Real time.** This is the one place in the suite where real time is used: asyncio's
/// scenarios are timed, so their tasks sleep on `ContinuousClock`, as the Python runner's do.
/// The unit is 50 ms (`expected.meta.json`). Tasks finish at whole units after the call and
/// timeouts fall at x.5 units, so any two events whose order matters are at least half a unit
/// (25 ms) apart. Tolerance: a run counts only if every task finished, and every timeout
/// fired, within a quarter unit (12.5 ms) of its nominal time; a mismatch in a run that was
/// later than that (a loaded machine) is retried, up to three runs. A mismatch in a punctual
/// run fails at once.
@Suite("Differential: AsyncWait vs CPython asyncio", .timeLimit(.minutes(1)))
struct DifferentialTests {
    static let unit = Duration.milliseconds(50)
    static let tolerance = unit / 4
    /// Scenarios running at once; a batch takes about 9 units (0.45 s).
    static let batchSize = 64
    static let attempts = 3

    struct Corpus {
        let scenarios: [Differential.Scenario]
        let expected: [Differential.Expected]

        init() throws {
            scenarios = try Differential.load([Differential.Scenario].self, from: "scenarios.json")
            expected = try Differential.load([Differential.Expected].self, from: "expected.json")
            let meta = try Differential.load(Differential.Meta.self, from: "expected.meta.json")
            try #require(meta.unitMs == 50)
            try #require(scenarios.count == meta.scenarioCount)
            try #require(scenarios.map(\.id) == expected.map(\.id), "expected.json does not match scenarios.json")
        }
    }

    /// Every scenario replayed on AsyncWait gives what CPython gave: done/pending, the
    /// as_completed order, gather's values and errors, wait_for's result, and the final state
    /// of every task (whether the operation cancelled it).
    @Test func asyncWaitDoesWhatCPythonDid() async throws {
        let data = try Corpus()
        var pending = Array(data.scenarios.indices)
        for attempt in 1...Self.attempts where !pending.isEmpty {
            var retry: [Int] = []
            for (index, observation) in await Self.run(pending, of: data.scenarios) {
                let scenario = data.scenarios[index]
                let expected = data.expected[index]
                if Self.agrees(observation, expected, scenario) { continue }
                if observation.lateness > Self.tolerance, attempt < Self.attempts {
                    retry.append(index)  // too late to count: run it again
                    continue
                }
                Issue.record(Comment(rawValue: """
                    \(scenario.id) (\(scenario.op)), run \(attempt), lateness \(observation.lateness):
                        AsyncWait: \(observation.result) final \(observation.final)
                        CPython:   \(expected.result) final \(expected.final)
                    """))
            }
            pending = retry.sorted()
        }
    }

    /// The reference model of the model-based tests predicts CPython's results too (it runs no
    /// task: the events are ordered by delay), which ties the model to real asyncio.
    @Test func referenceModelPredictsCPython() throws {
        let data = try Corpus()
        for (scenario, expected) in zip(data.scenarios, data.expected) {
            let prediction = Differential.modelPrediction(scenario)
            let predicted = Differential.Observation(result: prediction.result, final: prediction.final, lateness: .zero)
            let agrees = Self.agrees(predicted, expected, scenario)
            #expect(agrees, "\(scenario.id): model \(prediction.result) final \(prediction.final), CPython \(expected.result) final \(expected.final)")
        }
    }

    /// What CI runs: the Python runner checks real asyncio against its own model and against the
    /// committed `expected.json` (about 2 s). Skipped unless `ASYNCWAIT_PYTHON_DIFF=1`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ASYNCWAIT_PYTHON_DIFF"] == "1",
                   "set ASYNCWAIT_PYTHON_DIFF=1 to run CPython"))
    func cpythonStillAgreesWithTheCommittedResults() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("asyncio_runner-\(UUID().uuidString).txt")
        try #require(FileManager.default.createFile(atPath: output.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: output) }
        let log = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "Tests/Differential/asyncio_runner.py", "Tests/Differential/scenarios.json",
            "--check", "--expected", "Tests/Differential/expected.json",
        ]
        process.currentDirectoryURL = Differential.packageRoot
        process.standardOutput = log
        process.standardError = log
        // Waits without blocking a thread of the (two-thread) cooperative pool.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try log.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(status == 0, "asyncio_runner.py --check exited with \(status):\n\(text)")
    }

    /// Runs `indices` in batches; each scenario's tasks start together within its batch.
    private static func run(_ indices: [Int], of scenarios: [Differential.Scenario]) async -> [(Int, Differential.Observation)] {
        var observations: [(Int, Differential.Observation)] = []
        for start in stride(from: 0, to: indices.count, by: batchSize) {
            let batch = indices[start..<min(start + batchSize, indices.count)]
            await withTaskGroup(of: (Int, Differential.Observation).self) { group in
                for index in batch {
                    group.addTask { (index, await Differential.run(scenarios[index], unit: unit)) }
                }
                for await observation in group { observations.append(observation) }
            }
        }
        return observations
    }

    /// Equal results and final states, with the README's one allowance: as_completed yields
    /// inputs that had already finished in an order of its own (CPython: set order; AsyncWait:
    /// input order), so those come first in any order. The committed data has at most one.
    static func agrees(_ observation: Differential.Observation, _ expected: Differential.Expected,
                       _ scenario: Differential.Scenario) -> Bool {
        guard observation.final == expected.final else { return false }
        guard scenario.op == "as_completed",
              case .object(var observed) = observation.result, case .object(var wanted) = expected.result,
              case .array(let observedOrder)? = observed["order"], case .array(let wantedOrder)? = wanted["order"],
              observedOrder.count == wantedOrder.count
        else { return observation.result == expected.result }
        let finishedFirst = Set(scenario.inputs).filter { scenario.tasks[$0].delay == 0 }.count
        guard Set(observedOrder.prefix(finishedFirst)) == Set(wantedOrder.prefix(finishedFirst)) else { return false }
        observed["order"] = .array(Array(observedOrder.dropFirst(finishedFirst)))
        wanted["order"] = .array(Array(wantedOrder.dropFirst(finishedFirst)))
        return observed == wanted
    }
}
