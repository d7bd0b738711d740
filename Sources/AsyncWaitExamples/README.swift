// The Swift blocks of README.md. DocsTests checks that README.md quotes each snippet verbatim,
// and runs `readmeTutorial()` on a test clock beside Sources/DemoScenarios/Tutorial.swift.

// snippet.start readme-tutorial
import AsyncWait

// snippet.hide
/// The README's example: the seed tutorial, written as a script.
public func readmeTutorial() async throws {
    // snippet.show
    let task1 = Task { try await callAPI("calling API 1...", result: 1, delay: .seconds(1)) }
    let task2 = Task { try await callAPI("calling API 2...", result: 2, delay: .seconds(2)) }
    let task3 = Task { try await callAPI("calling API 3...", result: 3, delay: .seconds(3)) }

    var pending: Set = [task1, task2, task3]

    while !pending.isEmpty {
        let done: Set<Task<Int, any Error>>
        (done, pending) = try await wait(pending, returnWhen: .firstCompleted)
        print(try await done.first!.value)
    }
    // snippet.hide
}
// snippet.end
