import Foundation

/// The differential test against CPython's asyncio: `Tests/Differential` (see its README.md)
/// holds scenarios and what CPython 3.13 did with them; this folder replays them on AsyncWait.
enum Differential {
    /// `Tests/Differential`, found from this file's path (no resources needed).
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Differential
        .deletingLastPathComponent()  // AsyncWaitTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Differential")

    /// The package root, where CI runs `python3 Tests/Differential/asyncio_runner.py ...`.
    static let packageRoot = folder.deletingLastPathComponent().deletingLastPathComponent()

    /// One line of `scenarios.json`.
    struct Scenario: Decodable, Sendable {
        struct TaskSpec: Decodable, Sendable {
            /// Whole units after the operation is called; 0: finished before the call.
            let delay: Int
            /// `value`, `error` (raises `APIError(value)`) or `cancel` (ends cancelled).
            let outcome: String
            let value: Int
        }

        let id: String
        let op: String
        let tasks: [TaskSpec]
        let inputs: [Int]
        let returnWhen: String?
        /// In units; `nil` for no timeout (or an operation without one).
        let timeout: Double?

        enum CodingKeys: String, CodingKey {
            case id, op, tasks, inputs, timeout
            case returnWhen = "return_when"
        }
    }

    /// One line of `expected.json`.
    struct Expected: Decodable, Sendable {
        let id: String
        let result: JSON
        /// Every task's state once everything settled: `value`, `error` or `cancelled`.
        let final: [String]
    }

    /// Metadata of the committed expected results (`expected.meta.json`).
    struct Meta: Decodable, Sendable {
        let interpreter: String
        let unitMs: Int
        let scenarioCount: Int

        enum CodingKeys: String, CodingKey {
            case interpreter
            case unitMs = "unit_ms"
            case scenarioCount = "scenario_count"
        }
    }

    static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try JSONDecoder().decode(type, from: data)
    }

    /// A JSON value, for results whose shape depends on the operation; compared as a whole.
    enum JSON: Decodable, Hashable, Sendable, CustomStringConvertible {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSON])
        case object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([JSON].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSON].self))
            }
        }

        static func int(_ value: Int) -> JSON { .number(Double(value)) }
        static func ints(_ values: some Sequence<Int>) -> JSON { .array(values.map(int)) }

        var description: String {
            switch self {
            case .null: "null"
            case .bool(let value): "\(value)"
            case .number(let value): value == value.rounded() ? "\(Int(value))" : "\(value)"
            case .string(let value): "\"\(value)\""
            case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
            case .object(let fields):
                "{\(fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
            }
        }
    }
}
