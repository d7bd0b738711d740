// The Swift blocks of TaskSetGuide.md.

import AsyncWait

func taskSetTimeline() async throws {
    // snippet.start task-set-timeline
    let set = TaskSet<Int, any Error>()
    for i in 1...3 {
        set.spawn { try await callAPI("calling API \(i)...", result: i, delay: .seconds(i)) }
    }
    while let result = try await set.nextResult() {
        print(try result.get())   // 1 at 1 s, 2 at 2 s, 3 at 3 s
    }
    // snippet.end
}

func taskSetWaitLoop() async throws {
    // snippet.start task-set-wait
    let set = TaskSet<Int, any Error>()
    for i in 1...3 {
        set.spawn { try await callAPI("calling API \(i)...", result: i, delay: .seconds(i)) }
    }
    while !set.isEmpty {
        let (done, _) = try await set.wait(returnWhen: .firstCompleted)   // done is taken out of the set
        for task in done { print(try await task.value) }
    }
    // snippet.end
}

func withTaskSetTimeline() async throws {
    // snippet.start with-task-set-timeline
    do {
        let total = try await withTaskSet(of: Int.self) { set in
            set.spawn { try await callAPI("calling API 1...", result: 1, delay: .seconds(1)) }
            set.spawn { try await callAPI("calling API 2...", delay: .seconds(2), raiseException: true) }
            set.spawn { try await callAPI("calling API 3...", result: 3, delay: .seconds(3)) }
            var total = 0
            while let result = try await set.nextResult() { total += (try? result.get()) ?? 0 }
            return total
        }
        print(total)
    } catch let group as TaskGroupError {
        print(group.errors)   // at 2 s: [APIError()]; API 3 and the body were cancelled
    }
    // snippet.end
}

func taskSetRelease() async throws {
    // snippet.start task-set-release
    do {
        let set = TaskSet<Int, any Error>()
        set.spawn { try await callAPI("calling API...", delay: .seconds(60)) }
    }   // the set is released here: its task is cancelled (tokio's abort-on-drop)
    // snippet.end
}
