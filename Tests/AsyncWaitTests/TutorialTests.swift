import Clocks
import DemoScenarios
import Testing

@Suite("The seed tutorial", .timeLimit(.minutes(1)))
struct TutorialTests {
    /// `swift run asyncwait-demo`: the six lines of the Python tutorial, in order, each result at
    /// its second (1, 2, 3) and nothing printed ahead of its time.
    @Test func printsTheTutorialLinesInOrderAtTheirTimes() async throws {
        try await drive({ try await tutorial(clock: $0, output: $1) },
            start: ["calling API 1...", "calling API 2...", "calling API 3..."],
            steps: [Step(sleeps: 3, lines: ["1"]), Step(sleeps: 3, lines: ["2"]), Step(sleeps: 3, lines: ["3"])])
    }
}
