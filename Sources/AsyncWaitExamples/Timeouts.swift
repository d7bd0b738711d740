// The Swift blocks of Timeouts.md.

import AsyncWait

func timeoutsTimeline() async throws {
    // snippet.start timeouts-timeline
    do {
        let page = try await withTimeout(.seconds(2)) {
            try await fetchPage()   // takes 3 s: cancelled at 2 s
        }
        print(page)
    } catch is TimeoutError {
        print("timed out")          // at 2 s, after fetchPage ended
    }
    // snippet.end
}

func timeoutsDeadline() async throws {
    // snippet.start timeouts-deadline
    let deadline = ContinuousClock.now.advanced(by: .seconds(5))
    let user = try await withDeadline(deadline, clock: .continuous) { try await loadUser() }     // 1 s
    let orders = try await withDeadline(deadline, clock: .continuous) { try await loadOrders() } // 2 s more
    // snippet.end
    _ = (user, orders)
}

func timeoutsNested() async throws {
    // snippet.start timeouts-nested
    let page = try await withTimeout(.seconds(10)) {
        do {
            return try await withTimeout(.seconds(1)) { try await fetchPage() }
        } catch is TimeoutError {
            return Page(number: 0)   // the inner limit passed; the outer scope is not cancelled
        }
    }
    // snippet.end
    _ = page
}

@MainActor
final class PageModel {
    var page: Page?
    var loads = 0

    func load() async throws -> Page {
        loads += 1
        return try await fetchPage()
    }

    func reload() async throws {
        // snippet.start timeouts-isolation
        page = try await withTimeout(.seconds(2)) {
            try await self.load()   // a main-actor method: the operation hops there for it
        }
        // snippet.end
    }
}
