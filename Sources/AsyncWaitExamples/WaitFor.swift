// The Swift blocks of WaitFor.md.

import AsyncWait

func waitForTimeline() async throws {
    // snippet.start wait-for-timeline
    let slow = Task { try await callAPI("calling API...", result: 1, delay: .seconds(3)) }
    do {
        print(try await waitFor(slow, timeout: .seconds(1)))
    } catch is TimeoutError {
        print("timed out")   // at 1 s: slow was cancelled and has finished
    }
    // snippet.end
}

func waitForStubborn() async throws {
    // snippet.start wait-for-stubborn
    let stubborn = Task<Int, any Error> {
        do {
            try await Task.sleep(for: .seconds(3))
            return 1
        } catch {
            return -1   // catches its cancellation and returns a value after all
        }
    }
    let value = try await waitFor(stubborn, timeout: .seconds(1))   // -1, at 1 s
    // snippet.end
    _ = value
}

func waitForVersusValue(_ task: Task<Int, any Error>) async throws {
    // snippet.start wait-for-versus-value
    let a = try await task.value                         // caller cancelled: keeps waiting, task untouched
    let b = try await waitFor(task, timeout: nil)        // caller cancelled: task cancelled, awaited
    let c = try await shield(task)                       // caller cancelled: returns at once, task untouched
    // snippet.end
    _ = (a, b, c)
}
