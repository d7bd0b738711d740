// The Swift blocks of AsyncWait.md, the landing page.

import AsyncWait

func landingExample() async throws {
    // snippet.start landing-example
    let task1 = Task { try await callAPI("calling API 1...", result: 1, delay: .seconds(1)) }
    let task2 = Task { try await callAPI("calling API 2...", result: 2, delay: .seconds(2)) }

    let (done, pending) = try await wait([task1, task2], returnWhen: .firstCompleted)
    // at 1 s: done == [task1], pending == [task2], and task2 is still running
    // snippet.end
    _ = (done, pending)
}
