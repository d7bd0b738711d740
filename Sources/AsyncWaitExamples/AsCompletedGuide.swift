// The Swift blocks of AsCompletedGuide.md.

import AsyncWait

func asCompletedTimeline() async throws {
    // snippet.start as-completed-timeline
    let task1 = Task { try await callAPI("calling API 1...", result: 1, delay: .seconds(1)) }
    let task2 = Task { try await callAPI("calling API 2...", result: 2, delay: .seconds(2)) }
    let task3 = Task { try await callAPI("calling API 3...", result: 3, delay: .seconds(3)) }

    do {
        for try await task in asCompleted([task3, task2, task1], timeout: .milliseconds(2500)) {
            print(try await task.value)   // 1 at 1 s, 2 at 2 s
        }
    } catch is TimeoutError {
        print("timed out")                // at 2.5 s; task3 runs on and returns 3 at 3 s
    }
    // snippet.end
}

func asCompletedResults(_ tasks: [Task<Int, any Error>]) async throws {
    // snippet.start as-completed-results
    for try await task in asCompleted(tasks) {
        switch await task.result {
        case .success(let value): print(value)
        case .failure(let error): print("failed:", error)   // a failed task is yielded, not thrown
        }
    }
    // snippet.end
}

func asCompletedFirstTwo(_ tasks: [Task<Int, any Error>]) async throws {
    // snippet.start as-completed-first-two
    var firstTwo: [Int] = []
    for try await task in asCompleted(tasks) {
        firstTwo.append(try await task.value)
        if firstTwo.count == 2 { break }   // leaving the loop removes the iteration's registrations
    }
    // snippet.end
}
