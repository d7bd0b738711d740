import Clocks
import AsyncWait

extension Model.Driver {
    /// Calls the scenario's operation on the real implementation, from the caller's task, and
    /// writes down what it produced.
    static func perform(_ env: Environment) async -> Model.OpResult {
        let scenario = env.scenario
        let inputs = scenario.inputs.map { env.handles[$0] }
        let indices = Dictionary(uniqueKeysWithValues: env.handles.enumerated().map { ($1, $0) })
        let timeout = scenario.timeout.duration
        switch scenario.operation {
        case .wait(let condition, let form):
            do {
                let returnWhen = condition.returnWhen
                var done: Set<Task<Int, any Error>>
                var pending: Set<Task<Int, any Error>>
                switch form {
                case .array:
                    (done, pending) = try await wait(inputs, timeout: timeout, returnWhen: returnWhen, clock: env.clock)
                case .set:
                    (done, pending) = try await wait(Set(inputs), timeout: timeout, returnWhen: returnWhen, clock: env.clock)
                case .updating:
                    pending = Set(inputs)
                    done = try await wait(updating: &pending, timeout: timeout, returnWhen: returnWhen, clock: env.clock)
                }
                return .split(done: Set(done.map { indices[$0]! }), pending: Set(pending.map { indices[$0]! }))
            } catch {
                return .thrown(Model.thrown(error))
            }

        case .asCompleted:
            var order: [Int] = []
            do {
                for try await task in asCompleted(inputs, timeout: timeout, clock: env.clock) {
                    order.append(indices[task]!)
                    env.probe.advanced()
                }
                return .sequence(order, then: nil)
            } catch {
                return .sequence(order, then: Model.thrown(error))
            }

        case .gather:
            do { return .values(try await gather(inputs)) } catch { return .thrown(Model.thrown(error)) }

        case .gatherResults:
            do {
                return .results(try await gatherResults(inputs).map(Model.ending))
            } catch {
                return .thrown(Model.thrown(error))
            }

        case .waitFor:
            do {
                return .ending(.value(try await waitFor(inputs[0], timeout: timeout, clock: env.clock)))
            } catch {
                return .ending(.thrown(Model.thrown(error)))
            }

        case .withTimeout(let deadline):
            return await performTimeoutScope(env, deadline: deadline)

        case .taskSet(let calls):
            return await performSetCalls(calls, env, indices: indices)

        case .withTaskSet(let body):
            return await performScope(body, env)
        }
    }

    private static func performTimeoutScope(_ env: Environment, deadline: Bool) async -> Model.OpResult {
        let spec = env.scenario.tasks[0]
        let gate = env.gates[0]
        let probe = env.probe
        let limit = env.scenario.timeout.duration ?? .zero
        do {
            let value =
                if deadline {
                    try await withDeadline(env.clock.now.advanced(by: limit), clock: env.clock) {
                        try await Model.runScript(0, spec, gate: gate, probe: probe)
                    }
                } else {
                    try await withTimeout(limit, clock: env.clock) {
                        try await Model.runScript(0, spec, gate: gate, probe: probe)
                    }
                }
            return .ending(.value(value))
        } catch {
            return .ending(.thrown(Model.thrown(error)))
        }
    }

    /// The consumer's script: a `CancellationError` (or anything unexpected) stops it; bad
    /// input (`WaitError`) is written down and the script goes on.
    private static func performSetCalls(
        _ calls: [Model.SetCall], _ env: Environment, indices: [Task<Int, any Error>: Int]
    ) async -> Model.OpResult {
        guard let set = env.set else { preconditionFailure("a TaskSet scenario without a set") }
        var results: [Model.CallResult] = []
        for call in calls {
            do {
                switch call {
                case .next:
                    let task = try await set.next()
                    results.append(task.map { .task(indices[$0]!) } ?? .end)
                case .wait(let condition, let timeout):
                    let (done, pending) = try await set.wait(
                        timeout: timeout.duration, returnWhen: condition.returnWhen, clock: env.clock)
                    results.append(.split(done: Set(done.map { indices[$0]! }), pending: Set(pending.map { indices[$0]! })))
                }
                env.probe.advanced()
            } catch {
                results.append(.thrown(Model.thrown(error)))
                env.probe.advanced()
                if !(error is WaitError) { break }
            }
        }
        return .calls(results)
    }

    private static func performScope(_ body: Model.ScopeBody, _ env: Environment) async -> Model.OpResult {
        let specs = env.scenario.tasks
        let gates = env.gates
        let probe = env.probe
        let box = env.box
        let bodyIndex = specs.count
        let ending: Model.Ending
        do {
            let value = try await withTaskSet(of: Int.self) { (set: TaskSet<Int, any Error>) async throws -> Int in
                box.store(set)
                for (index, spec) in specs.enumerated() {
                    let gate = gates[index]
                    box.append(set.spawn { try await Model.runScript(index, spec, gate: gate, probe: probe) })
                }
                switch body {
                case .returnsAtOnce(let value):
                    return value
                case .waits(let honors, let then):
                    let passed = await gates[bodyIndex].pass(honorsCancellation: honors) { probe.cancelSeen(bodyIndex) }
                    probe.ended(bodyIndex, passed ? .value(0) : .thrown(.cancellation))
                    guard passed else { throw CancellationError() }
                    switch then {
                    case .returns(let value):
                        return value
                    case .throwsError(let value):
                        throw ModelBodyError(value: value)
                    case .spawnsLate(let value):
                        let late = set.spawn { value }
                        box.storeLate(late)
                        return try await late.value
                    }
                }
            }
            ending = .value(value)
        } catch {
            ending = .thrown(Model.thrown(error))
        }
        var late: Model.Ending?
        if let task = box.late { late = Model.ending(await task.result) }
        return .scope(ending, late: late)
    }
}
