// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "AsyncWait",
    platforms: [
        // `Synchronization` (Mutex, Atomic) needs these releases.
        .macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2),
    ],
    products: [
        .library(name: "AsyncWait", targets: ["AsyncWait"]),
        .executable(name: "asyncwait-demo", targets: ["AsyncWaitDemo"]),
    ],
    dependencies: [
        // Test-only: `TestClock` drives every timeout in the test suite.
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
        // Docs only: `swift package generate-documentation --target AsyncWait`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.0.0"),
    ],
    targets: [
        .target(name: "AsyncWait"),
        .target(name: "DemoScenarios", dependencies: ["AsyncWait"]),
        .executableTarget(name: "AsyncWaitDemo", dependencies: ["DemoScenarios"]),
        // The Swift code of the articles and README, compiled; DocsTests checks the docs quote it.
        .target(name: "AsyncWaitExamples", dependencies: ["AsyncWait"]),
        .testTarget(
            name: "AsyncWaitTests",
            dependencies: [
                "AsyncWait",
                "DemoScenarios",
                "AsyncWaitExamples",
                .product(name: "Clocks", package: "swift-clocks"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
