#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DemoScenarios

// `swift run asyncwait-demo` runs the seed tutorial's example;
// `swift run asyncwait-demo <name>` runs another scenario (`asyncwait-demo list` names them).
let name = CommandLine.arguments.dropFirst().first ?? "tutorial"
if name == "list" || name == "--help" {
    print(demoScenarios.map(\.name).joined(separator: "\n"))
} else if let scenario = demoScenarios.first(where: { $0.name == name }) {
    // Flushed line by line, so each line shows at its time even when the output is piped.
    try await scenario.run(ContinuousClock(), { print($0); fflush(nil) })
} else {
    print("unknown scenario '\(name)'; one of: \(demoScenarios.map(\.name).joined(separator: ", "))")
    exit(2)
}
