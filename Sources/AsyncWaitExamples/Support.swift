// The stand-ins the documentation's examples call: the seed tutorial's `callAPI`, and a few
// named operations (`fetchPage`, `loadUser`, ...). Nothing here is quoted in the docs.
//
// Every example takes its time from `ExampleEnvironment.clock` and writes its lines with the
// module's `print`, so that DocsTests can run an example on a test clock and read what it
// printed; outside a test they are `ContinuousClock` and standard output.

import AsyncWait

/// Where the examples' time and output come from.
public enum ExampleEnvironment {
    /// The clock every stand-in sleeps on.
    @TaskLocal public static var clock: any Clock<Duration> = ContinuousClock()
    /// Where the examples' `print` writes a line; standard output by default.
    @TaskLocal public static var output: @Sendable (String) -> Void = { Swift.print($0) }
}

/// The examples' `print`: one line, to ``ExampleEnvironment/output``.
func print(_ items: Any..., separator: String = " ") {
    ExampleEnvironment.output(items.map { String(describing: $0) }.joined(separator: separator))
}

/// Sleeps on the examples' clock.
func pause(_ duration: Duration) async throws {
    try await ExampleEnvironment.clock.sleep(for: duration)
}

/// The tutorial's `APIError`.
public struct APIError: Error, Sendable, Equatable {
    public init() {}
}

/// The tutorial's `call_api`: prints `message`, sleeps `delay`, then returns `result` or throws
/// ``APIError``.
func callAPI(
    _ message: String, result: Int = 100, delay: Duration, raiseException: Bool = false
) async throws -> Int {
    print(message)
    try await pause(delay)
    if raiseException { throw APIError() }
    return result
}

/// A page of some remote resource.
struct Page: Sendable, Equatable {
    let number: Int
}

/// Fetches page `number`: a task that takes `number` seconds.
func fetch(_ number: Int) -> Task<Page, any Error> {
    Task {
        try await pause(.seconds(number))
        return Page(number: number)
    }
}

/// Fetches a page in 3 seconds.
func fetchPage() async throws -> Page {
    try await pause(.seconds(3))
    return Page(number: 1)
}

struct User: Sendable {}
struct Order: Sendable {}

func loadUser() async throws -> User {
    try await pause(.seconds(1))
    return User()
}

func loadOrders() async throws -> [Order] {
    try await pause(.seconds(2))
    return [Order()]
}

/// A database whose commit takes 2 seconds.
struct Database: Sendable {
    struct Receipt: Sendable {}
    func commit() async throws -> Receipt {
        try await pause(.seconds(2))
        return Receipt()
    }
}

let database = Database()

/// Asks replica `name` and answers after `delay`, or fails.
func ask(_ name: String, after delay: Duration, failing: Bool = false) async throws -> String {
    try await pause(delay)
    if failing { throw APIError() }
    return name
}
