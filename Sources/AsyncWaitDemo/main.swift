import DemoScenarios

// `swift run asyncwait-demo` runs the seed tutorial's example.
try await tutorial(clock: ContinuousClock(), output: { print($0) })
