// The Swift blocks of Quorum.md.

import AsyncWait

func quorumTimeline() async throws {
    // snippet.start quorum-timeline
    let r1 = Task { try await ask("replica 1", after: .seconds(1), failing: true) }
    let r2 = Task { try await ask("replica 2", after: .seconds(2)) }
    let r3 = Task { try await ask("replica 3", after: .seconds(3)) }
    let replicas = [r1, r2, r3]

    let (first, _) = try await wait(replicas, returnWhen: .firstSuccess)          // 2 s: r1, r2
    let (two, _) = try await wait(replicas, returnWhen: .completed(atLeast: 2))   // 2 s: r1, r2
    let (quorum, _) = try await wait(replicas, returnWhen: .succeeded(atLeast: 2)) // 3 s: all three
    // snippet.end
    _ = (first, two, quorum)
}

func quorumHedged() async throws {
    // snippet.start quorum-hedged
    let primary = Task { try await ask("primary", after: .milliseconds(300)) }
    let replica = Task { try await ask("replica", after: .milliseconds(200)) }

    let (done, pending) = try await wait([primary, replica], returnWhen: .firstSuccess)
    for task in pending { task.cancel() }   // the slower request is no longer needed
    for task in done {
        if case .success(let answer) = await task.result { print(answer) }
    }
    // snippet.end
}

func quorumAnswers(_ replicas: [Task<String, any Error>]) async throws {
    // snippet.start quorum-answers
    let (done, pending) = try await wait(replicas, returnWhen: .succeeded(atLeast: 2))
    var answers: [String] = []
    for task in done {
        if case .success(let answer) = await task.result { answers.append(answer) }
    }
    if answers.count < 2 {
        print("no quorum:", done.count - answers.count, "replicas failed")
    }
    // snippet.end
    _ = pending
}

func quorumOutOfRange(_ replicas: [Task<String, any Error>]) async throws {
    // snippet.start quorum-out-of-range
    do {
        _ = try await wait(replicas, returnWhen: .succeeded(atLeast: replicas.count + 1))
    } catch WaitError.quorumOutOfRange(let required, let tasks) {
        print("asked for \(required) of \(tasks) replicas")   // thrown before anything waits
    }
    // snippet.end
}
