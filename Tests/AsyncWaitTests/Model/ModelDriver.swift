import Clocks
@testable import AsyncWait

extension Model {
    /// Replays scenarios on the real implementation and compares every step with the model.
    ///
    /// Determinism: a task ends only when the driver opens its gate (or when something cancels
    /// it); time passes only when the driver advances the scenario's own `TestClock`. After each
    /// event the driver waits, by observation (`Task.yield()`, no wall clock), until the real
    /// system shows what the model predicts: the same tasks ended the same way, the same tasks
    /// cancelled, the same progress (tasks yielded, calls returned), the operation returned or
    /// parked (registered on the tasks it waits for, as Support's `watched(_:)` checks, or
    /// suspended at a gate), and every ended task's completion delivered (to the operation's
    /// records, or to its `TaskSet`). Only then does the next event happen, so no two events
    /// race. A timeout event first waits for the timer's sleep to be registered on the clock.
    enum Driver {
        /// Yields allowed while waiting for the real system to reach the model's state, before
        /// the scenario is reported as failing. A step normally takes a few yields.
        static let spinLimit = 200_000

        /// No new scenario starts once this many failed.
        static let stopAfterFailures = 10

        /// Runs `seeds` of `kind`, `width` scenarios at a time; returns the failures.
        static func runAll(_ kind: Kind, seeds: [UInt64], width: Int) async -> [String] {
            await withTaskGroup(of: String?.self) { group in
                var remaining = seeds.makeIterator()
                for _ in 0..<width {
                    guard let seed = remaining.next() else { break }
                    group.addTask { await run(Generator.scenario(kind, seed: seed), kind: kind) }
                }
                var failures: [String] = []
                while let failure = await group.next() {
                    if let failure { failures.append(failure) }
                    // A broken build fails fast instead of running into the time limit.
                    if failures.count < stopAfterFailures, let seed = remaining.next() {
                        group.addTask { await run(Generator.scenario(kind, seed: seed), kind: kind) }
                    }
                }
                return failures
            }
        }

        /// What the task calling the operation needs.
        struct Environment: Sendable {
            let scenario: Scenario
            let probe: Probe
            let gates: [ScriptGate]
            let clock: TestClock<Duration>
            /// The scenario's tasks (plain tasks, or the `TaskSet`'s); empty for the scopes.
            let handles: [Task<Int, any Error>]
            let set: TaskSet<Int, any Error>?
            let box: ScopeBox

            var currentSet: TaskSet<Int, any Error>? { self.set ?? box.set }
        }

        /// Runs one scenario; `nil` if the real implementation agreed with the model throughout.
        static func run(_ scenario: Scenario, kind: Kind) async -> String? {
            var reference = Reference(scenario)
            let probe = Probe(count: reference.world.tasks.count)
            let gates = reference.world.tasks.map { _ in ScriptGate() }
            var handles: [Task<Int, any Error>] = []
            var set: TaskSet<Int, any Error>?
            switch scenario.operation {
            case .taskSet:
                let taskSet = TaskSet<Int, any Error>()
                handles = scenario.tasks.enumerated().map { index, spec in
                    taskSet.spawn { [gate = gates[index]] in try await runScript(index, spec, gate: gate, probe: probe) }
                }
                set = taskSet
            case .withTimeout, .withTaskSet:
                break
            case .wait, .asCompleted, .gather, .gatherResults, .waitFor:
                handles = scenario.tasks.enumerated().map { index, spec in
                    Task { [gate = gates[index]] in try await runScript(index, spec, gate: gate, probe: probe) }
                }
            }
            let env = Environment(
                scenario: scenario, probe: probe, gates: gates, clock: TestClock(), handles: handles, set: set,
                box: ScopeBox())

            func failure(_ detail: String) -> String {
                """
                Model mismatch: \(kind), seed \(scenario.seed) \
                (replay: ASYNCWAIT_MODEL_OP=\(kind.rawValue) ASYNCWAIT_MODEL_SEED=\(scenario.seed))
                \(detail)
                \(scenario)
                """
            }

            // Tasks that finish before the call (a scope's operation only starts with the call).
            for index in scenario.before {
                reference.apply(.open(index))
                gates[index].open()
                if case .withTimeout = scenario.operation { continue }
                _ = await handles[index].result  // finished (and reported to its set), not just ending
                if let detail = await settle(reference, env, after: "opening \(index) before the call") {
                    return failure(detail)
                }
            }

            // The call; a precancelled caller is cancelled before it starts.
            let start = Gate()
            let caller = Task {
                await start.wait()
                probe.finish(await perform(env))
            }
            if scenario.precancelled { caller.cancel() }
            start.open()
            reference.start()
            var detail = await settle(reference, env, after: "the call")

            for (position, event) in scenario.events.enumerated() where detail == nil {
                switch event {
                case .open(let index):
                    gates[index].open()
                case .openBody:
                    gates[gates.count - 1].open()
                case .cancelCaller:
                    caller.cancel()
                case .timeout:
                    if let timeout = reference.armedTimer {
                        guard await sleeperRegistered(env.clock) else {
                            detail = "event \(position) (timeout): the model has a timer armed, the clock has no sleeper"
                            break
                        }
                        // Exactly to the deadline, which is registered: further (an advance
                        // steps through deadlines) would also fire the timer of a call the
                        // consumer starts meanwhile. The armed timer started at `now` (time
                        // moves only here, and a timer armed before the last advance has fired).
                        await env.clock.advance(by: timeout)
                    }
                }
                guard detail == nil else { break }
                reference.apply(event)
                detail = await settle(reference, env, after: "event \(position) (\(event))")
            }

            if detail == nil {
                if let expected = reference.result, let observed = probe.result {
                    if !agrees(expected, observed) { detail = "result:\n    model:    \(expected)\n    observed: \(observed)" }
                } else {
                    detail = "the scenario ended with the operation still running (model: \(String(describing: reference.result)))"
                }
            }
            if detail == nil, case .withTaskSet = scenario.operation, let escaped = env.box.set {
                let late = ending(await escaped.spawn { 0 }.result)
                if late != .thrown(.scopeEnded) { detail = "spawn after the scope ended: \(late)" }
            }

            if let detail {
                await abandon(env)
                return failure(detail)
            }
            await caller.value
            for handle in handles { _ = await handle.result }
            return nil
        }

        /// Whether the real result is the model's. One tolerance: in `TaskGroupError.errors`,
        /// the body's own error (`BodyError`, or the `TaskSetError` of its refused late spawn) may
        /// come later than it happened: the scope records it when its task resumes after the body
        /// ended, and nothing public tells the driver when that is, so a task failing in between
        /// can come first. Task failures keep their exact order.
        static func agrees(_ expected: OpResult, _ observed: OpResult) -> Bool {
            guard case .scope(.thrown(.group(let modelErrors)), let modelLate) = expected,
                  case .scope(.thrown(.group(let realErrors)), let realLate) = observed, modelLate == realLate
            else { return expected == observed }
            func isBodys(_ error: Thrown) -> Bool {
                switch error {
                case .body, .shuttingDown: true
                default: false
                }
            }
            guard modelErrors.filter({ !isBodys($0) }) == realErrors.filter({ !isBodys($0) }),
                  modelErrors.filter(isBodys) == realErrors.filter(isBodys)
            else { return false }
            guard let modelPosition = modelErrors.firstIndex(where: isBodys),
                  let realPosition = realErrors.firstIndex(where: isBodys)
            else { return true }
            return realPosition >= modelPosition
        }

        /// After a failure: lets everything finish if it can, without waiting forever.
        private static func abandon(_ env: Environment) async {
            for gate in env.gates { gate.open() }
            for _ in 0..<spinLimit where env.probe.result == nil { await Task.yield() }
        }

        /// Waits until the real system shows the model's snapshot and parking.
        static func settle(_ reference: Reference, _ env: Environment, after step: String) async -> String? {
            let expected = reference.snapshot
            let parking = reference.parking
            var observed = observe(env)
            var unsettled: String? = "not compared"
            for _ in 0..<spinLimit {
                observed = observe(env)
                if observed == expected {
                    await awaitEndedSetTasks(env)
                    unsettled = self.unsettled(parking, env)
                } else {
                    unsettled = "state differs"
                }
                if unsettled == nil { return nil }
                await Task.yield()
            }
            return """
                after \(step):
                    model:    \(expected)
                    observed: \(observed)
                    \(unsettled ?? "") (expected parking: \(parking))
                """
        }

        /// A set's task reports to its set just before it completes: once a task has said how
        /// it ended, awaiting it returns at once, and then its set knows too.
        static func awaitEndedSetTasks(_ env: Environment) async {
            let handles = env.set == nil ? env.box.handles : env.handles
            for (index, handle) in handles.enumerated() where env.probe.isEnded(index) {
                _ = await handle.result
            }
        }

        static func observe(_ env: Environment) -> Snapshot {
            let state = env.probe.state.withLock { $0 }
            return Snapshot(
                endings: state.endings, cancelSeen: state.cancelSeen, finished: state.result != nil,
                progress: state.progress, setCount: env.currentSet?.count)
        }

        /// Why the real system is not parked where the model says, or `nil` if it is.
        static func unsettled(_ parking: Parking, _ env: Environment) -> String? {
            if env.set == nil {  // plain tasks: the operation hears of an ending through its record
                for (index, handle) in env.handles.enumerated() where env.probe.isEnded(index) {
                    if CompletionRegistry.existingRecord(for: handle) != nil {
                        return "task \(index) ended, its completion not delivered yet"
                    }
                }
            }
            for index in parking.registeredOn {
                let count = CompletionRegistry.existingRecord(for: env.handles[index])?.registrationCount ?? 0
                if count < 1 { return "the operation is not registered on task \(index)" }
            }
            for index in parking.gates where !env.gates[index].hasWaiter {
                return "body \(index) is not at its gate"
            }
            return nil
        }

        /// `TestClock.waitForSleepers()` with a bound: `true` once a sleep is registered.
        static func sleeperRegistered(_ clock: TestClock<Duration>) async -> Bool {
            for _ in 0..<1_000 {
                do { try await clock.checkSuspension() } catch { return true }  // throws when someone sleeps
                await Task.yield()
            }
            return false
        }
    }
}
