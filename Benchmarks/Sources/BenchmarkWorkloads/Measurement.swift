/// What one run of a workload measured: the headline time and workload-specific details.
public struct Measurement: Sendable {
    /// W1–W3: first spawn to validated result. W4: notice + teardown. W5: the median over the
    /// repeats of spawn + lateness + teardown, i.e. the cost beyond the requested timeout.
    public var seconds: Double
    /// Extra figures, reported under `extra` in the peer's JSON line (W4 notice and teardown,
    /// W5 lateness, ...).
    public var extra: [(key: String, value: ExtraValue)]

    public init(seconds: Double, extra: [(key: String, value: ExtraValue)] = []) {
        self.seconds = seconds
        self.extra = extra
    }

    /// The extra figure named `key`, if it is a number.
    public func number(_ key: String) -> Double? {
        for (k, value) in extra where k == key {
            switch value {
            case .double(let d): return d
            case .int(let i): return Double(i)
            case .string: return nil
            }
        }
        return nil
    }
}

/// A value in ``Measurement/extra``.
public enum ExtraValue: Sendable {
    case double(Double)
    case int(Int)
    case string(String)
}

/// A workload saw something it did not expect: a wrong sum, a task that was not cancelled...
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Throws ``BenchError`` unless `condition` holds.
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(BenchError) {
    if !condition { throw BenchError(message()) }
}

/// The clock every workload is timed on.
let clock = ContinuousClock()

extension Duration {
    /// This duration in seconds.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}

/// The median of `values` (not empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// 0 + 1 + ... + (n - 1).
func triangle(_ n: Int) -> Int { n * (n - 1) / 2 }
