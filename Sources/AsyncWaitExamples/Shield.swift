// The Swift blocks of Shield.md.

import AsyncWait

func shieldTimeline() async throws {
    // snippet.start shield-timeline
    let save = Task { try await database.commit() }   // takes 2 s
    let caller = Task { try await shield(save) }
    try await Task.sleep(for: .milliseconds(500))
    caller.cancel()                                   // 0.5 s: caller throws CancellationError
    let receipt = try await save.value                // 2 s: the commit finished anyway
    // snippet.end
    _ = receipt
}

func shieldWithTimeout() async throws {
    // snippet.start shield-timeout
    let save = Task { try await database.commit() }
    do {
        _ = try await withTimeout(.seconds(1)) { try await shield(save) }
    } catch is TimeoutError {
        print("still saving")   // the scope gave up waiting; save was not cancelled
    }
    // snippet.end
}
