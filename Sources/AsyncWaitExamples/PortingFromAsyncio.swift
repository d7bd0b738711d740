// The Swift blocks of PortingFromAsyncio.md.

import AsyncWait

typealias APITask = Task<Int, any Error>

func portingWait(_ task1: APITask, _ task2: APITask, _ task3: APITask, tasks: [APITask]) async throws {
    do {
        // snippet.start porting-wait-all
        let (done, pending) = try await wait([task1, task2, task3])
        // snippet.end
        _ = (done, pending)
    }
    do {
        // snippet.start porting-wait-first-completed
        let (done, pending) = try await wait(tasks, returnWhen: .firstCompleted)
        // snippet.end
        _ = (done, pending)
    }
    do {
        // snippet.start porting-wait-first-exception
        let (done, pending) = try await wait(tasks, returnWhen: .firstException)
        for task in done {
            if case .failure(let error) = await task.result, !(error is CancellationError) {
                print("failed:", error)
            }
        }
        // snippet.end
        _ = pending
    }
    do {
        // snippet.start porting-wait-timeout
        let (done, pending) = try await wait(tasks, timeout: .milliseconds(1500))
        for task in pending {
            task.cancel()   // only if you want them stopped: wait never cancels
        }
        // snippet.end
        _ = done
    }
}

func portingWaitFor(_ task: APITask) async throws {
    // snippet.start porting-wait-for
    do {
        let result = try await waitFor(task, timeout: .seconds(1))
        print(result)
    } catch is TimeoutError {
        print("timed out")   // task was cancelled, and has finished
    }
    // snippet.end
}

func portingAsCompleted(_ tasks: [APITask]) async throws {
    // snippet.start porting-as-completed
    for try await task in asCompleted(tasks, timeout: .seconds(10)) {
        print(try await task.value)
    }
    // snippet.end
}

func portingGather(_ task1: APITask, _ task2: APITask, _ task3: APITask, tasks: [APITask]) async throws {
    do {
        // snippet.start porting-gather
        let results = try await gather([task1, task2, task3])   // [Int], in input order
        // snippet.end
        _ = results
    }
    do {
        // snippet.start porting-gather-tuple
        let (user, orders) = try await gather(Task { try await loadUser() }, Task { try await loadOrders() })
        // snippet.end
        _ = (user, orders)
    }
    // snippet.start porting-gather-results
    for result in try await gatherResults(tasks) {
        switch result {
        case .success(let value): print(value)
        case .failure(let error): print("failed:", error)
        }
    }
    // snippet.end
}

func portingShield() async throws {
    // snippet.start porting-shield
    let save = Task { try await database.commit() }
    let receipt = try await shield(save)   // a cancelled caller stops waiting; the commit goes on
    // snippet.end
    _ = receipt
}

func portingTimeout() async throws {
    // snippet.start porting-timeout
    let page = try await withTimeout(.seconds(2)) {
        try await fetchPage()
    }
    // snippet.end
    _ = page
}

func portingDeadline() async throws {
    // snippet.start porting-deadline
    let deadline = ContinuousClock.now.advanced(by: .seconds(5))
    let user = try await withDeadline(deadline, clock: .continuous) { try await loadUser() }
    let orders = try await withDeadline(deadline, clock: .continuous) { try await loadOrders() }
    // snippet.end
    _ = (user, orders)
}

func portingTaskGroup() async throws {
    // snippet.start porting-task-group
    let (task1, task2) = try await withTaskSet(of: Int.self) { set in
        (set.spawn { try await callAPI("calling API 1...", result: 1, delay: .seconds(1)) },
         set.spawn { try await callAPI("calling API 2...", result: 2, delay: .seconds(2)) })
    }
    print(try await task1.value + task2.value)   // both finished: the scope waited for them
    // snippet.end
}

func portingTaskGroupFailure() async throws {
    // snippet.start porting-task-group-failure
    do {
        try await withTaskSet(of: Int.self) { set in
            set.spawn { try await callAPI("calling API 1...", delay: .seconds(1), raiseException: true) }
            set.spawn { try await callAPI("calling API 2...", delay: .seconds(5)) }
        }
    } catch let group as TaskGroupError {
        print(group.errors)   // [APIError()]; API 2 was cancelled at 1 s
    }
    // snippet.end
}
