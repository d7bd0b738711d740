extension Differential {
    /// The scenario as an event sequence for the reference model of the model-based tests
    /// (Model/ReferenceModel.swift): delay-0 tasks finish before the call, the others open in
    /// order of delay, and a positive timeout (always x.5 units) falls between two of them.
    /// asyncio's tasks sleep, so they all honor cancellation.
    static func modelScenario(_ scenario: Scenario) -> Model.Scenario {
        let tasks = scenario.tasks.map { spec -> Model.TaskSpec in
            let script: Model.Script =
                switch spec.outcome {
                case "value": .value(spec.value)
                case "error": .error(spec.value)
                default: .selfCancel
                }
            return Model.TaskSpec(script: script, honorsCancellation: true)
        }
        let operation: Model.Operation =
            switch scenario.op {
            case "wait":
                .wait(
                    scenario.returnWhen == "FIRST_COMPLETED" ? .firstCompleted
                        : scenario.returnWhen == "FIRST_EXCEPTION" ? .firstException : .allCompleted,
                    .array)
            case "as_completed": .asCompleted
            case "gather": .gather
            case "gather_results": .gatherResults
            default: .waitFor
            }
        var timeout = Model.TimeoutSpec.none
        var events: [Model.Event] = []
        let delayed = scenario.tasks.indices.filter { scenario.tasks[$0].delay > 0 }
            .sorted { scenario.tasks[$0].delay < scenario.tasks[$1].delay }
        if let limit = scenario.timeout {
            if limit <= 0 {
                timeout = .expired(.zero)
            } else {
                timeout = .after(.seconds(1))  // its length does not matter to the model, its place does
                events.append(contentsOf: delayed.filter { Double(scenario.tasks[$0].delay) < limit }.map { .open($0) })
                events.append(.timeout)
                events.append(contentsOf: delayed.filter { Double(scenario.tasks[$0].delay) > limit }.map { .open($0) })
            }
        }
        if events.isEmpty { events = delayed.map { .open($0) } }
        return Model.Scenario(
            seed: 0, operation: operation, tasks: tasks, inputs: scenario.inputs,
            before: scenario.tasks.indices.filter { scenario.tasks[$0].delay == 0 },
            precancelled: false, timeout: timeout, events: events)
    }

    /// What the reference model says CPython gives for `scenario`, in `expected.json`'s terms.
    static func modelPrediction(_ scenario: Scenario) -> (result: JSON, final: [String]) {
        let modelScenario = modelScenario(scenario)
        var reference = Model.Reference(modelScenario)
        for index in modelScenario.before { reference.apply(.open(index)) }
        reference.start()
        for event in modelScenario.events { reference.apply(event) }
        let final = reference.world.tasks.map { task -> String in
            switch task.ending {
            case .value?: "value"
            case .thrown(.cancellation)?: "cancelled"
            case .thrown?: "error"
            case nil: "running"
            }
        }
        return (json(reference.result), final)
    }

    private static func json(_ result: Model.OpResult?) -> JSON {
        func name(_ error: Model.Thrown) -> String {
            switch error {
            case .api(let value): "APIError:\(value)"
            case .cancellation: "CancelledError"
            case .timeout: "TimeoutError"
            case .emptyTaskSet: "ValueError"
            default: "unexpected \(error)"
            }
        }
        switch result {
        case .thrown(let error)?:
            return .object(["raised": .string(name(error))])
        case .split(let done, let pending)?:
            return .object(["done": .ints(done.sorted()), "pending": .ints(pending.sorted())])
        case .sequence(let order, let error)?:
            return .object(["order": .ints(order), "raised": error.map { .string(name($0)) } ?? .null])
        case .values(let values)?:
            return .object(["values": .ints(values)])
        case .results(let endings)?:
            return .object([
                "values": .array(endings.map { ending in
                    switch ending {
                    case .value(let value): .object(["value": .int(value)])
                    case .thrown(let error): .object(["error": .string(name(error))])
                    }
                })
            ])
        case .ending(.value(let value))?:
            return .object(["value": .int(value)])
        case .ending(.thrown(let error))?:
            return .object(["raised": .string(name(error))])
        case .calls?, .scope?, nil:
            return .string("no prediction: \(String(describing: result))")
        }
    }
}
