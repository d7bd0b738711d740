import Clocks
import DemoScenarios
import Testing

/// One step of a demo's timeline: after `sleeps` sleeps have been registered, advance the
/// clock by one second; then these lines must have been printed.
struct Step: Sendable {
    let sleeps: Int
    let lines: [String]
}

/// Runs a demo on a test clock, second by second, checking the lines printed at each step.
func drive(
    _ scenario: @escaping @Sendable (RegisteredClock, @escaping Output) async throws -> Void,
    start: [String], steps: [Step]
) async throws {
    let clock = RegisteredClock()
    let lines = Recorder<String>()
    let run = Task { try await scenario(clock, { lines.record($0) }) }
    var expected = start
    #expect(await lines.waitFor(expected.count) == expected)
    for step in steps {
        #expect(await clock.waitForRegistrations(step.sleeps))
        await clock.advance(by: .seconds(1))
        expected += step.lines
        let printed = await lines.waitFor(expected.count)
        #expect(printed == expected)
    }
    try await run.value
    #expect(lines.events == expected)  // nothing more afterwards
}

@Suite("Demo scenarios", .timeLimit(.minutes(1)))
struct DemoTests {
    @Test func waitFor() async throws {
        try await drive({ try await waitForDemo(clock: $0, output: $1) },
            start: ["calling API 1..."],
            steps: [Step(sleeps: 2, lines: ["The operation timed out. API 1 was cancelled: true", "calling API 2..."]),
                    Step(sleeps: 4, lines: ["2"])])
    }

    @Test func asCompleted() async throws {
        try await drive({ try await asCompletedDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 4, lines: ["2"]), Step(sleeps: 5, lines: ["3"]), Step(sleeps: 6, lines: ["1"])])
    }

    @Test func gather() async throws {
        try await drive({ try await gatherDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 3, lines: []), Step(sleeps: 3, lines: []),
                    Step(sleeps: 3, lines: ["[1, 2, 3]", "calling API 4...", "calling API 5..."]),
                    Step(sleeps: 5, lines: ["APIError(calling API 5...); API 4 still running: true"]),
                    Step(sleeps: 5, lines: ["4"])])
    }

    @Test func gatherResults() async throws {
        try await drive({ try await gatherResultsDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 3, lines: []), Step(sleeps: 3, lines: []),
                    Step(sleeps: 3, lines: ["1", "APIError(calling API 2...)", "3"])])
    }

    @Test func shield() async throws {
        try await drive({ try await shieldDemo(clock: $0, output: $1) },
            start: ["calling API 1..."],
            steps: [Step(sleeps: 2, lines: ["The operation timed out. API 1 was cancelled: false"]),
                    Step(sleeps: 2, lines: []), Step(sleeps: 2, lines: ["1"])])
    }

    @Test func timeout() async throws {
        try await drive({ try await timeoutDemo(clock: $0, output: $1) },
            start: ["calling API 1..."],
            steps: [Step(sleeps: 2, lines: []), Step(sleeps: 2, lines: ["The operation timed out."])])
    }

    @Test func taskSet() async throws {
        try await drive({ try await taskSetDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 3, lines: ["2"]), Step(sleeps: 3, lines: ["3"]), Step(sleeps: 3, lines: ["1"])])
    }

    @Test func taskGroup() async throws {
        try await drive({ try await taskGroupDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2..."],
            steps: [Step(sleeps: 2, lines: ["API 1 cancelled", "TaskGroupError: 1 task failed: APIError(calling API 2...)"])])
    }

    @Test func quorum() async throws {
        try await drive({ try await quorumDemo(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 4, lines: []), Step(sleeps: 4, lines: ["quorum: [2, 3], still running: 1"])])
    }
}
