import BenchmarkWorkloads
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Swift peer of the cross-language benchmark (bench/peers/run_peers.py):
///
///     asyncwait-peer --workload W1 --n 10000 --variant tasks
///
/// runs one workload once and prints exactly one JSON line on stdout, in the format of
/// bench/peers/asyncio_bench.py. Diagnostics go to stderr. Exit codes: 1 a failed validation,
/// 2 bad arguments or a variant the workload does not have, 3 a variant this build lacks.
///
/// `main` is synchronous and blocks on a semaphore while the workload runs on the global
/// executor: an `async` main goes through `dispatch_main`, under which valgrind 3.19 (callgrind)
/// crashes on Linux, and the workloads never touch the main actor anyway.
@main
struct AsyncWaitPeer {
    static let usage = """
        usage: asyncwait-peer --workload W1|W2g|W3|W4|W5 --n N [--variant VARIANT] [--repeats R]

          --variant  W1: tasks taskset rawgroup rawtasks   W2g: tasks inplace taskset floor
                     W3: tasks taskset rawgroup            W4: tasks taskset rawgroup
                     W5: tasks taskset rawtimer            (default: tasks)
          --repeats  W5 only: timed 50 ms waits in one run (default 20)
        """

    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await run()
            done.signal()
        }
        done.wait()
    }

    static func run() async {
        let options: Options
        do {
            options = try Options(parsing: CommandLine.arguments.dropFirst())
        } catch {
            fail("\(error)\n\(usage)", code: 2)
        }
        let (workload, variant, n) = (options.workload, options.variant, options.n)
        guard let run = Runs.find(workload, variant) else {
            let known = Runs.variants(of: workload).map(\.rawValue).joined(separator: ", ")
            fail("\(workload.rawValue) has no variant \(variant.rawValue) (it has: \(known))", code: 2)
        }
        guard run.isAvailable else {
            fail("\(workload.rawValue)/\(variant.rawValue) is not in this build", code: 3)
        }
        let measurement: Measurement
        do {
            measurement = try await run(n: n, repeats: options.repeats)
        } catch {
            fail("\(workload.rawValue) \(variant.rawValue) N=\(n): \(error)", code: 1)
        }
        let extra = measurement.extra.map { ($0.key, JSON($0.value)) } + [("max_rss_mb", .double(maxRSSMegabytes()))]
        let line: JSON = .object([
            ("impl", .string(run.impl)),
            ("workload", .string(workload.rawValue)),
            ("n", .int(n)),
            ("variant", .string(variant.rawValue)),
            ("seconds", .double(measurement.seconds)),
            ("per_task_ns", .double(measurement.seconds / Double(n) * 1e9)),
            ("extra", .object(extra)),
            ("version", .string(swiftVersion)),
        ])
        print(line)
    }

    static func fail(_ message: String, code: Int32) -> Never {
        var line = "asyncwait-peer: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(code)
    }

    /// Peak resident memory of this process, in MiB.
    static func maxRSSMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return -1 }
        return Double(usage.ru_maxrss) / 1_048_576  // bytes
        #else
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return -1 }
        return Double(usage.ru_maxrss) / 1024  // KiB
        #endif
    }

    static var swiftVersion: String {
        #if compiler(>=6.4)
        "swift 6.4 or later"
        #elseif compiler(>=6.3.2)
        "swift 6.3.2"
        #elseif compiler(>=6.3.1)
        "swift 6.3.1"
        #elseif compiler(>=6.3)
        "swift 6.3"
        #else
        "swift 6.2 or earlier"
        #endif
    }
}

/// The command line.
struct Options {
    let workload: Workload
    let n: Int
    let variant: Variant
    let repeats: Int

    struct UsageError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    init(parsing arguments: ArraySlice<String>) throws(UsageError) {
        var arguments = arguments
        var workload: Workload?
        var n: Int?
        var variant = Variant.tasks
        var repeats = W5.defaultRepeats
        while let flag = arguments.popFirst() {
            if flag == "-h" || flag == "--help" {
                print(AsyncWaitPeer.usage)
                exit(0)
            }
            guard let value = arguments.popFirst() else { throw UsageError("\(flag) needs a value") }
            switch flag {
            case "--workload":
                guard let parsed = Workload(rawValue: value) else { throw UsageError("unknown workload \(value)") }
                workload = parsed
            case "--n":
                guard let parsed = Int(value.filter { $0 != "_" }), parsed >= 2 else {
                    throw UsageError("--n must be an integer >= 2, got \(value)")
                }
                n = parsed
            case "--variant":
                guard let parsed = Variant(rawValue: value) else { throw UsageError("unknown variant \(value)") }
                variant = parsed
            case "--repeats":
                guard let parsed = Int(value), parsed >= 1 else { throw UsageError("--repeats must be >= 1, got \(value)") }
                repeats = parsed
            default:
                throw UsageError("unknown option \(flag)")
            }
        }
        guard let workload else { throw UsageError("--workload is required") }
        guard let n else { throw UsageError("--n is required") }
        (self.workload, self.n, self.variant, self.repeats) = (workload, n, variant, repeats)
    }
}

/// Just enough JSON for the one output line; keys stay in the order given.
enum JSON: CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case object([(String, JSON)])

    init(_ value: ExtraValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        }
    }

    var description: String {
        switch self {
        case .string(let s): Self.quote(s)
        case .int(let i): String(i)
        case .double(let d): d.isFinite ? String(d) : "null"
        case .object(let fields): "{" + fields.map { "\(Self.quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
