import Clocks
import DemoScenarios
import Testing

@Suite("The seed tutorial", .timeLimit(.minutes(1)))
struct TutorialTests {
    @Test func printsTheTutorialLinesInOrderAtTheirTimes() async throws {
        let clock = TestClock()
        let lines = Recorder<String>()
        let run = Task { try await tutorial(clock: clock, output: { lines.record($0) }) }
        let started = await lines.waitFor(3)
        #expect(started == ["calling API 1...", "calling API 2...", "calling API 3..."])
        for second in 1...3 {
            await clock.advance(by: .seconds(1))
            let printed = await lines.waitFor(3 + second)
            #expect(printed.last == "\(second)")
            #expect(printed.count == 3 + second)  // nothing printed ahead of its time
        }
        try await run.value
        #expect(lines.events == ["calling API 1...", "calling API 2...", "calling API 3...", "1", "2", "3"])
    }
}
