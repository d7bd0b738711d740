// The Swift blocks of Wait.md.

import AsyncWait

/// Wait.md's timeline; DocsTests runs it on a test clock and checks what it prints.
public func waitTimeline() async throws {
    // snippet.start wait-timeline
    let a = Task { try await callAPI("calling API A...", result: 1, delay: .seconds(1)) }
    let b = Task { try await callAPI("calling API B...", delay: .seconds(2), raiseException: true) }
    let c = Task { try await callAPI("calling API C...", result: 3, delay: .seconds(3)) }
    let tasks = [a, b, c]

    var (done, pending) = try await wait(tasks, timeout: .milliseconds(500))
    print("timeout:", done.count, "done,", pending.count, "pending")

    (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
    print("firstCompleted:", done.count, "done,", pending.count, "pending")

    (done, pending) = try await wait(tasks, returnWhen: .firstException)
    print("firstException:", done.count, "done,", pending.count, "pending")

    (done, pending) = try await wait(tasks)
    print("allCompleted:", done.count, "done,", pending.count, "pending")
    // snippet.end
}

func waitReadResults(_ tasks: [Task<Int, any Error>]) async throws {
    // snippet.start wait-read-results
    let (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
    for task in done {
        switch await task.result {   // finished: no suspension
        case .success(let value): print("returned", value)
        case .failure(is CancellationError): print("ended by cancellation")
        case .failure(let error): print("failed:", error)
        }
    }
    print(pending.count, "still running")
    // snippet.end
}

func waitThenCancel(_ tasks: [Task<Int, any Error>]) async throws {
    // snippet.start wait-timeout-then-cancel
    let (done, pending) = try await wait(tasks, timeout: .seconds(2))
    for task in pending { task.cancel() }   // only if you want them stopped: wait never cancels
    // snippet.end
    _ = done
}

func waitUpdatingLoop(_ task1: Task<Int, any Error>, _ task2: Task<Int, any Error>, _ task3: Task<Int, any Error>) async throws {
    // snippet.start wait-updating
    var pending: Set = [task1, task2, task3]
    while !pending.isEmpty {
        let done = try await wait(updating: &pending, returnWhen: .firstCompleted)
        for task in done { print(try await task.value) }
    }
    // snippet.end
}

func waitEmptyInput() async throws {
    // snippet.start wait-empty
    do {
        _ = try await wait([Task<Int, Never>]())
    } catch WaitError.emptyTaskSet {
        print("nothing to wait for")
    }
    // snippet.end
}
