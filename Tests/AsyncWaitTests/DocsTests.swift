import AsyncWaitExamples
import Clocks
import DemoScenarios
import Foundation
import Testing
@testable import AsyncWait

// The documentation's Swift code cannot rot:
//
// - Every example lives in compiled code between `// snippet.start NAME` and `// snippet.end`
//   (`// snippet.hide` ... `// snippet.show` leave out scaffolding), in
//   `Sources/AsyncWaitExamples/DOC.swift` for `AsyncWait.docc/DOC.md` (`README.swift` for
//   README.md), or in this file for TestingWithAsyncWait.md. Each snippet must appear in its
//   document as a ```swift block, verbatim (each shown part dedented).
// - Every ```swift block of README.md and the catalog must be such a snippet, or be quoted from a
//   compiled file (`<!-- quote: PATH -->` on the line before), or say why it is not compiled
//   (`<!-- not compiled: REASON -->` on the line before).
// - The landing page lists every public declaration of AsyncWait.
// - Some examples also run, on a test clock, and print what their guide's timeline says.

@Suite("Documentation", .timeLimit(.minutes(1)))
struct DocsTests {
    @Test(arguments: DocsFiles.snippetSources)
    func everySnippetIsQuotedVerbatimInItsDocument(source: String) throws {
        let snippets = try DocsFiles.snippets(in: source)
        #expect(!snippets.isEmpty, "\(source) has no snippet")
        let document = DocsFiles.document(for: source)
        let blocks = try DocsFiles.swiftBlocks(in: document).map(\.text)
        for snippet in snippets {
            let quoted = blocks.contains(snippet.text)
            #expect(quoted, "\(document) does not quote snippet '\(snippet.name)' (\(source):\(snippet.line)) verbatim")
        }
    }

    @Test func snippetNamesAreUnique() throws {
        let names = try DocsFiles.allSnippets().map(\.name)
        #expect(Set(names).count == names.count, "duplicate snippet names: \(names.sorted())")
    }

    @Test(arguments: DocsFiles.documents)
    func everySwiftBlockIsCompiledOrMarked(document: String) throws {
        let snippets = Set(try DocsFiles.allSnippets().map(\.text))
        for block in try DocsFiles.swiftBlocks(in: document) {
            let location = "\(document):\(block.line)"
            switch block.marker {
            case .notCompiled(let reason):
                #expect(!reason.isEmpty, "\(location): say why the block is not compiled")
            case .quote(let path):
                let quoted = try DocsFiles.contains(path, lines: block.text)
                #expect(quoted, "\(location): the block is not a verbatim quote of \(path)")
            case .none:
                let compiled = snippets.contains(block.text)
                #expect(
                    compiled,
                    "\(location): this ```swift block is no snippet; add it to Sources/AsyncWaitExamples, or put <!-- not compiled: REASON --> on the line before")
            }
        }
    }

    /// Every top-level public type, and every overload of every public function (by its
    /// argument labels), is linked from the landing page.
    @Test func landingPageListsEveryPublicDeclaration() throws {
        let landing = try DocsFiles.read("Sources/AsyncWait/AsyncWait.docc/AsyncWait.md")
        let links = try DocsFiles.publicDeclarations()
        #expect(links.count >= 20)
        // The parser itself: a few links it must find.
        for known in ["``wait(_:timeout:returnWhen:clock:)", "``withTaskSet(of:isolation:body:)", "``gather(_:)", "``TaskSet``"] {
            #expect(links.contains(known), "the declaration parser missed \(known)")
        }
        for link in links {
            let listed = landing.contains(link)
            #expect(listed, "AsyncWait.md does not link \(link)")
        }
    }

    /// Wait.md's timeline, run: the lines it prints are the ones the guide quotes.
    @Test func waitTimelinePrintsWhatTheGuideSays() async throws {
        let steps: [(advance: Duration, lines: Int)] = [(.zero, 4), (.seconds(1), 5), (.seconds(1), 6), (.seconds(1), 7)]
        let lines = try await runExample(sleeps: 3, steps: steps) { try await waitTimeline() }
        let expected = [
            "timeout: 0 done, 3 pending", "firstCompleted: 1 done, 2 pending",
            "firstException: 2 done, 1 pending", "allCompleted: 3 done, 0 pending",
        ]
        #expect(Array(lines.dropFirst(3)) == expected)
        let guide = try DocsFiles.read("\(DocsFiles.catalog)/Wait.md").replacingOccurrences(of: "\n", with: " ")
        for line in expected {
            let quoted = guide.contains("`\(line)`")
            #expect(quoted, "Wait.md does not quote the printed line \(line)")
        }
    }

    /// README.md's example prints what Sources/DemoScenarios/Tutorial.swift prints, at the same
    /// times. Only the order of the three "calling" lines may differ: README uses `Task {}`,
    /// the demo starts its tasks in order with `Task.immediate`.
    @Test func readmeExamplePrintsWhatTheTutorialPrints() async throws {
        let steps: [(advance: Duration, lines: Int)] = [(.seconds(1), 4), (.seconds(1), 5), (.seconds(1), 6)]
        let readme = try await runExample(sleeps: 3, steps: steps) { try await readmeTutorial() }
        let demo = try await runExample(sleeps: 3, steps: steps) { clock, output in
            try await tutorial(clock: clock, output: output)
        }
        #expect(demo == ["calling API 1...", "calling API 2...", "calling API 3...", "1", "2", "3"])
        #expect(Set(readme.prefix(3)) == Set(demo.prefix(3)))
        #expect(Array(readme.dropFirst(3)) == Array(demo.dropFirst(3)))
    }
}

// MARK: - TestingWithAsyncWait.md

/// The examples of TestingWithAsyncWait.md, run as tests.
@Suite("TestingWithAsyncWait.md", .timeLimit(.minutes(1)))
struct TestingGuideExamples {
    // snippet.start testing-wait-timeout
    @Test func waitReturnsTheSplitWhenTheTimeoutPasses() async throws {
        let clock = TestClock()
        let gate = Gate()
        let fast = Task { 1 }
        let slow = Task { await gate.wait(); return 2 }
        _ = await fast.value

        let waiter = Task {
            try await wait([fast, slow], timeout: .seconds(5), returnWhen: .allCompleted, clock: clock)
        }
        await clock.waitForSleepers()          // wait has started, and fixed its deadline
        await clock.advance(by: .seconds(5))   // the timeout passes

        let (done, pending) = try await waiter.value
        #expect(done == [fast])
        #expect(pending == [slow])
        #expect(!slow.isCancelled)   // wait never cancels
        gate.open()
    }
    // snippet.end

    // snippet.start testing-wait-for
    @Test func waitForCancelsTheTaskWhenTheTimeoutPasses() async throws {
        let clock = TestClock()
        let task = Task<Int, any Error> {
            try await Task.sleep(for: .seconds(3600))   // ends by cancellation
            return 1
        }
        let waiter = Task { try await waitFor(task, timeout: .seconds(1), clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(1))

        await #expect(throws: TimeoutError.self) { try await waiter.value }
        #expect(task.isCancelled)
    }
    // snippet.end

    // snippet.start testing-zero-timeout
    @Test func aZeroTimeoutLooksOnceWithoutSleeping() async throws {
        let clock = TestClock()
        let gate = Gate()
        let running = Task { await gate.wait(); return 1 }

        // No sleeper to wait for, nothing to advance: a zero timeout never sleeps.
        let (done, pending) = try await wait([running], timeout: .zero, returnWhen: .allCompleted, clock: clock)
        #expect(done.isEmpty)
        #expect(pending == [running])
        gate.open()
    }
    // snippet.end

    // snippet.start testing-injected-clock
    @Test func anOperationWithAnInjectedClock() async throws {
        let clock = TestClock()
        let load = Task { try await loadProfile(clock: clock) }
        await clock.waitForSleepers()
        await clock.advance(by: .seconds(2))
        await #expect(throws: TimeoutError.self) { try await load.value }
    }
    // snippet.end
}

// snippet.start testing-injected-clock-code
/// Loads a profile, giving up after two seconds on `clock`.
func loadProfile<C: Clock>(clock: C) async throws -> String where C.Duration == Duration {
    try await withTimeout(.seconds(2), clock: clock) {
        try await clock.sleep(for: .seconds(3))   // stands for a slow request
        return "profile"
    }
}
// snippet.end

// MARK: - Running an example

/// Runs `example` with the examples' clock (``ExampleEnvironment``) set to a test clock and their
/// output recorded. Waits until `sleeps` sleeps are registered (the example's tasks have
/// started), then for each step advances the clock and waits until `lines` lines were printed in
/// all. Returns every line printed.
///
/// The test clock moves only when told to, so what an example prints is the same on any
/// machine. An example's own `ContinuousClock` timeout passes in real time while the test clock
/// stands still, so it too sees the same tasks finished every time.
func runExample(
    sleeps: Int, steps: [(advance: Duration, lines: Int)],
    _ example: @escaping @Sendable () async throws -> Void
) async throws -> [String] {
    try await runExample(sleeps: sleeps, steps: steps) { clock, output in
        try await ExampleEnvironment.$clock.withValue(clock) {
            try await ExampleEnvironment.$output.withValue(output) {
                try await example()
            }
        }
    }
}

/// Runs `scenario` on a `RegisteredClock` (Support/Clocks.swift) with its output recorded.
func runExample(
    sleeps: Int, steps: [(advance: Duration, lines: Int)],
    _ scenario: @escaping @Sendable (RegisteredClock, @escaping @Sendable (String) -> Void) async throws -> Void
) async throws -> [String] {
    let clock = RegisteredClock()
    let lines = Recorder<String>()
    let run = Task { try await scenario(clock, { lines.record($0) }) }
    let started = await clock.waitForRegistrations(sleeps)
    #expect(started, "the example did not register \(sleeps) sleeps")
    for step in steps {
        await clock.advance(by: step.advance)
        await lines.waitFor(step.lines)
    }
    try await run.value
    return lines.events
}

// MARK: - Reading the documents and the snippets

enum DocsFiles {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let catalog = "Sources/AsyncWait/AsyncWait.docc"
    static let examples = "Sources/AsyncWaitExamples"
    static let thisFile = "Tests/AsyncWaitTests/DocsTests.swift"

    /// README.md and every article of the catalog.
    static var documents: [String] {
        let articles = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(catalog).path)) ?? []
        return ["README.md"] + articles.filter { $0.hasSuffix(".md") }.sorted().map { "\(catalog)/\($0)" }
    }

    /// Every file that holds snippets.
    static var snippetSources: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(examples).path)) ?? []
        return files.filter { $0.hasSuffix(".swift") && $0 != "Support.swift" }.sorted().map { "\(examples)/\($0)" }
            + [thisFile]
    }

    /// The document that must quote the snippets of `source`.
    static func document(for source: String) -> String {
        if source == thisFile { return "\(catalog)/TestingWithAsyncWait.md" }
        let name = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        return name == "README" ? "README.md" : "\(catalog)/\(name).md"
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func lines(_ path: String) throws -> [String] {
        try read(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    struct Snippet {
        let name: String
        let line: Int
        let text: String
    }

    struct MalformedSnippet: Error, CustomStringConvertible {
        let description: String
    }

    static func allSnippets() throws -> [Snippet] {
        try snippetSources.flatMap { try snippets(in: $0) }
    }

    /// The snippets of a Swift file: the shown lines between the markers, each shown part
    /// dedented on its own, without leading or trailing blank lines.
    static func snippets(in path: String) throws -> [Snippet] {
        var result: [Snippet] = []
        var current: (name: String, line: Int, parts: [[String]], showing: Bool)?
        for (index, line) in try lines(path).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let location = "\(path):\(index + 1)"
            if trimmed.hasPrefix("// snippet.start ") {
                guard current == nil else { throw MalformedSnippet(description: "\(location): snippet.start inside a snippet") }
                let name = String(trimmed.dropFirst("// snippet.start ".count))
                current = (name, index + 1, [[]], true)
            } else if trimmed == "// snippet.end" {
                guard let snippet = current else { throw MalformedSnippet(description: "\(location): snippet.end without a start") }
                let text = snippet.parts.flatMap(dedent).joined(separator: "\n")
                    .trimmingCharacters(in: .newlines)
                result.append(Snippet(name: snippet.name, line: snippet.line, text: text))
                current = nil
            } else if trimmed == "// snippet.hide" {
                guard current?.showing == true else { throw MalformedSnippet(description: "\(location): snippet.hide outside a shown part") }
                current?.showing = false
            } else if trimmed == "// snippet.show" {
                guard current?.showing == false else { throw MalformedSnippet(description: "\(location): snippet.show outside a hidden part") }
                current?.showing = true
                current?.parts.append([])
            } else if var snippet = current, snippet.showing {
                snippet.parts[snippet.parts.count - 1].append(line)
                current = snippet
            }
        }
        if let current { throw MalformedSnippet(description: "\(path):\(current.line): snippet '\(current.name)' has no end") }
        return result
    }

    /// Removes the indentation common to the non-blank lines.
    static func dedent(_ lines: [String]) -> [String] {
        let isBlank = { (line: String) in line.allSatisfy(\.isWhitespace) }
        let indent = lines.filter { !isBlank($0) }.map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return lines.map { isBlank($0) ? "" : String($0.dropFirst(indent)) }
    }

    struct Block {
        enum Marker: Equatable {
            case none
            case notCompiled(String)
            case quote(String)
        }
        let line: Int
        let text: String
        let marker: Marker
    }

    /// The ```swift blocks of a Markdown file, with the marker comment on the line before each.
    static func swiftBlocks(in path: String) throws -> [Block] {
        let lines = try lines(path)
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            let fence = lines[index].trimmingCharacters(in: .whitespaces)
            guard fence.hasPrefix("```") else { index += 1; continue }
            let start = index
            index += 1
            var body: [String] = []
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(lines[index])
                index += 1
            }
            index += 1
            guard fence == "```swift" else { continue }
            let before = start > 0 ? lines[start - 1].trimmingCharacters(in: .whitespaces) : ""
            blocks.append(Block(line: start + 1, text: dedent(body).joined(separator: "\n"), marker: marker(before)))
        }
        return blocks
    }

    static func marker(_ line: String) -> Block.Marker {
        guard line.hasPrefix("<!--"), line.hasSuffix("-->") else { return .none }
        let content = line.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        for (prefix, make) in [("not compiled:", Block.Marker.notCompiled), ("quote:", Block.Marker.quote)] {
            if content.hasPrefix(prefix) {
                return make(content.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
            }
        }
        return .none
    }

    /// Whether the file at `path` holds `text` as consecutive lines (compared dedented).
    static func contains(_ path: String, lines text: String) throws -> Bool {
        let wanted = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lines = try lines(path)
        guard wanted.count <= lines.count else { return false }
        return (0...(lines.count - wanted.count)).contains { start in
            dedent(Array(lines[start..<start + wanted.count])) == wanted
        }
    }

    /// How the landing page must link each top-level public declaration of AsyncWait:
    /// "``TypeName``" for a type, "``name(label:label:)" for each function overload (followed
    /// by "``" or by a disambiguation).
    static func publicDeclarations() throws -> Set<String> {
        let sources = root.appendingPathComponent("Sources/AsyncWait")
        guard let files = FileManager.default.enumerator(atPath: sources.path) else { return [] }
        var links: Set<String> = []
        let types = ["public struct ", "public enum ", "public final class ", "public class ", "public actor ", "public protocol "]
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try read("Sources/AsyncWait/\(file)")
            for line in text.split(separator: "\n") {
                if let kind = types.first(where: { line.hasPrefix($0) }) {
                    links.insert("``\(identifier(at: line.dropFirst(kind.count)))``")
                }
            }
            var rest = Substring(text)
            while let range = rest.range(of: "\npublic func ") {
                rest = rest[range.upperBound...]
                links.insert("``" + functionSignature(rest))
            }
        }
        return links
    }

    static func identifier(at text: Substring) -> String {
        String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// `name(label:label:)` for the declaration that starts with `text` (after `public func `).
    static func functionSignature(_ text: Substring) -> String {
        let name = identifier(at: text)
        var index = text.index(text.startIndex, offsetBy: name.count)
        var depth = 0
        // Skip the generic parameter clause.
        while index < text.endIndex, text[index] != "(" || depth > 0 {
            if text[index] == "<" { depth += 1 } else if text[index] == ">" { depth -= 1 }
            index = text.index(after: index)
        }
        // Split the parameter list at its top-level commas.
        var parameters: [String] = []
        var current = ""
        var previous: Character = " "
        depth = 0
        for character in text[text.index(after: index)...] {
            switch character {
            case "(", "[", "<": depth += 1
            case ")", "]": depth -= 1
            case ">" where previous != "-": depth -= 1
            default: break
            }
            previous = character
            if depth < 0 { break }
            if character == ",", depth == 0 { parameters.append(current); current = "" } else { current.append(character) }
        }
        parameters.append(current)
        let labels = parameters
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { String($0.prefix { $0 != " " && $0 != ":" }) + ":" }
        return "\(name)(\(labels.joined()))"
    }
}
