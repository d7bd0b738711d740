// The Swift blocks of Gather.md.

import AsyncWait

func gatherTimeline() async throws {
    // snippet.start gather-timeline
    let pages = try await gather([fetch(3), fetch(1), fetch(2)])
    print(pages.map(\.number))   // [3, 1, 2] at 3 s: input order, not completion order
    // snippet.end
}

func gatherFailure() async throws {
    // snippet.start gather-failure
    let good = Task { try await callAPI("calling API 1...", result: 1, delay: .seconds(3)) }
    let bad = Task { try await callAPI("calling API 2...", delay: .seconds(1), raiseException: true) }
    do {
        _ = try await gather([good, bad])
    } catch {
        print(error, good.isCancelled)   // at 1 s: APIError() false; good returns 1 at 3 s
    }
    // snippet.end
}

func gatherResultsExample() async throws {
    // snippet.start gather-results
    let good = Task { try await callAPI("calling API 1...", result: 1, delay: .seconds(3)) }
    let bad = Task { try await callAPI("calling API 2...", delay: .seconds(1), raiseException: true) }
    let results = try await gatherResults([good, bad])   // at 3 s
    print(results.map { (try? $0.get()) ?? -1 })         // [1, -1]
    // snippet.end
}

func gatherTuple() async throws {
    // snippet.start gather-tuple
    let user = Task { try await loadUser() }
    let orders = Task { try await loadOrders() }
    let (u, o) = try await gather(user, orders)   // (User, [Order]) at 2 s
    // snippet.end
    _ = (u, o)
}

func gatherCancelOnFailure() async throws {
    // snippet.start gather-cancel-siblings
    let pages = try await withTaskSet(of: Page.self) { set in
        for number in 1...3 { set.spawn { try await fetch(number).value } }
        var pages: [Page] = []
        while let result = try await set.nextResult() { pages.append(try result.get()) }
        return pages   // completion order; the first failure cancels the rest
    }
    // snippet.end
    _ = pages
}
