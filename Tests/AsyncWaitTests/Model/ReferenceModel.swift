/// The reference model: what each operation must do, given the order in which things happen.
///
/// It knows nothing of the implementation. A scenario is a sequence of events ("task i's gate
/// opens", "the timeout passes", "the caller is cancelled"); the model applies them one by one
/// to plain values and says, after each, which tasks have ended and how, which were cancelled
/// while running, whether the operation has returned, and finally what it returned.
extension Model {
    /// The scenario's tasks as the model sees them.
    struct World {
        struct TaskState {
            let spec: TaskSpec
            var ending: Ending?
            /// Cancelled while it had not ended yet.
            var cancelSeen = false
        }

        var tasks: [TaskState]
        /// Every task that ended, in order.
        private(set) var endOrder: [Int] = []
        /// Ends the operation has not been told about yet.
        private var unannounced: [Int] = []

        init(_ specs: [TaskSpec]) { tasks = specs.map { TaskState(spec: $0) } }

        func ending(_ index: Int) -> Ending? { tasks[index].ending }
        func isEnded(_ index: Int) -> Bool { tasks[index].ending != nil }

        /// The task's gate opens: it runs its script, unless it already ended.
        mutating func open(_ index: Int) {
            guard tasks[index].ending == nil else { return }
            end(index, tasks[index].spec.script.ending)
        }

        /// Someone cancels the task: a running task that honors cancellation ends at once.
        mutating func cancel(_ index: Int) {
            guard tasks[index].ending == nil, !tasks[index].cancelSeen else { return }
            tasks[index].cancelSeen = true
            if tasks[index].spec.honorsCancellation { end(index, .thrown(.cancellation)) }
        }

        private mutating func end(_ index: Int, _ ending: Ending) {
            tasks[index].ending = ending
            endOrder.append(index)
            unannounced.append(index)
        }

        mutating func popUnannounced() -> Int? {
            unannounced.isEmpty ? nil : unannounced.removeFirst()
        }
    }

    /// Where the real operation must be found suspended before the next event is applied,
    /// so that the next event cannot overtake it.
    struct Parking: Equatable, CustomStringConvertible {
        /// Tasks the operation must be registered on (it waits for their completion).
        var registeredOn: [Int] = []
        /// Scripted bodies (by world index) that must be suspended at their gate.
        var gates: [Int] = []

        var description: String { "registeredOn \(registeredOn), gates \(gates)" }
    }

    /// What the driver compares with the real system after each event.
    struct Snapshot: Equatable, CustomStringConvertible {
        var endings: [Ending?]
        var cancelSeen: [Bool]
        var finished: Bool
        /// Tasks yielded (asCompleted), calls completed (TaskSet); 0 otherwise.
        var progress: Int
        /// `TaskSet.count` (tasks not taken out), when there is a set.
        var setCount: Int?

        var description: String {
            let endings = self.endings.enumerated().map { "\($0): \($1.map(String.init(describing:)) ?? "running")" }
            let cancelled = cancelSeen.indices.filter { cancelSeen[$0] }
            return "endings [\(endings.joined(separator: ", "))], cancelled while running \(cancelled), "
                + "finished \(finished), progress \(progress), set count \(setCount.map(String.init) ?? "-")"
        }
    }

    /// The model of one scenario: the world plus the operation's own state.
    struct Reference {
        private(set) var world: World
        private var operation: any OperationModel
        private var started = false

        init(_ scenario: Scenario) {
            var specs = scenario.tasks
            if case .withTaskSet(let body) = scenario.operation {
                // The body's gate is the world's last entry.
                let honors = if case .waits(let honors, _) = body { honors } else { true }
                specs.append(TaskSpec(script: .value(0), honorsCancellation: honors))
            }
            world = World(specs)
            operation = Self.model(of: scenario)
        }

        private static func model(of scenario: Scenario) -> any OperationModel {
            let distinct = distinctInputs(scenario.inputs)
            switch scenario.operation {
            case .wait(let condition, _):
                return WaitModel(distinct: distinct, condition: condition, timeout: scenario.timeout,
                                 precancelled: scenario.precancelled)
            case .asCompleted:
                return AsCompletedModel(distinct: distinct, timeout: scenario.timeout, precancelled: scenario.precancelled)
            case .gather:
                return GatherModel(inputs: scenario.inputs, distinct: distinct, precancelled: scenario.precancelled,
                                   collectsResults: false)
            case .gatherResults:
                return GatherModel(inputs: scenario.inputs, distinct: distinct, precancelled: scenario.precancelled,
                                   collectsResults: true)
            case .waitFor:
                return WaitForModel(input: scenario.inputs[0], timeout: scenario.timeout, precancelled: scenario.precancelled)
            case .withTimeout:
                return WithTimeoutModel(timeout: scenario.timeout, precancelled: scenario.precancelled)
            case .taskSet(let calls):
                return TaskSetModel(calls: calls, total: scenario.tasks.count, callerCancelled: scenario.precancelled)
            case .withTaskSet(let body):
                return WithTaskSetModel(count: scenario.tasks.count, body: body)
            }
        }

        /// The operation is called (after the `before` tasks ended).
        mutating func start() {
            started = true
            operation.start(&world)
            announce()
        }

        mutating func apply(_ event: Event) {
            switch event {
            case .open(let index): world.open(index)
            case .openBody: world.open(world.tasks.count - 1)
            case .timeout: if started { operation.timeout(&world) }
            case .cancelCaller: if started { operation.cancelCaller(&world) }
            }
            announce()
        }

        /// Tells the operation about tasks that ended, including those its own reaction ended.
        private mutating func announce() {
            while let index = world.popUnannounced() {
                if started { operation.taskEnded(index, &world) }
            }
        }

        var snapshot: Snapshot {
            Snapshot(
                endings: world.tasks.map(\.ending), cancelSeen: world.tasks.map(\.cancelSeen),
                finished: operation.result != nil, progress: operation.progress, setCount: operation.setCount)
        }

        var parking: Parking { operation.parking(world) }
        var result: OpResult? { operation.result }
        /// The timeout of the timer the operation has armed, if any: the driver advances past it.
        var armedTimer: Duration? { operation.armedTimer }
        /// Whether the `withTaskSet` body has ended (for the generator's known-bug filter).
        var scopeBodyEnded: Bool { (operation as? WithTaskSetModel)?.bodyOutcome != nil }
    }
}

/// The distinct inputs, in first-seen order.
func distinctInputs(_ inputs: [Int]) -> [Int] {
    var seen = Set<Int>()
    return inputs.filter { seen.insert($0).inserted }
}

/// One operation's semantics. Each method reacts to one event; `world.cancel` may end tasks,
/// which the reference then announces through `taskEnded`.
protocol OperationModel {
    mutating func start(_ world: inout Model.World)
    mutating func taskEnded(_ index: Int, _ world: inout Model.World)
    mutating func timeout(_ world: inout Model.World)
    mutating func cancelCaller(_ world: inout Model.World)
    var result: Model.OpResult? { get }
    var armedTimer: Duration? { get }
    var progress: Int { get }
    func parking(_ world: Model.World) -> Model.Parking
    var setCount: Int? { get }
}

extension OperationModel {
    var progress: Int { 0 }
    var setCount: Int? { nil }
}

extension Model.TimeoutSpec {
    var isExpired: Bool { if case .expired = self { true } else { false } }
    /// The duration of a timer this limit arms while the operation waits.
    var timer: Duration? { if case .after(let duration) = self { duration } else { nil } }
}

// MARK: - wait

/// `wait(_:timeout:returnWhen:)`: never cancels, never throws on timeout; `done` is every
/// distinct input that has ended when it returns.
struct WaitModel: OperationModel {
    let distinct: [Int]
    let condition: Model.Condition
    let timeout: Model.TimeoutSpec
    let precancelled: Bool
    private var waiting = false
    private(set) var result: Model.OpResult?

    init(distinct: [Int], condition: Model.Condition, timeout: Model.TimeoutSpec, precancelled: Bool) {
        self.distinct = distinct
        self.condition = condition
        self.timeout = timeout
        self.precancelled = precancelled
    }

    mutating func start(_ world: inout Model.World) {
        if distinct.isEmpty { result = .thrown(.emptyTaskSet); return }
        if let error = condition.validate(count: distinct.count) { result = .thrown(error); return }
        if precancelled { result = .thrown(.cancellation); return }  // even with a zero timeout
        if timeout.isExpired || isMet(world) { finish(world) } else { waiting = true }
    }

    private func isMet(_ world: Model.World) -> Bool {
        condition.isMet(total: distinct.count, finished: distinct.compactMap(world.ending))
    }

    private mutating func finish(_ world: Model.World) {
        waiting = false
        result = .split(done: Set(distinct.filter(world.isEnded)), pending: Set(distinct.filter { !world.isEnded($0) }))
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        if waiting, distinct.contains(index), isMet(world) { finish(world) }
    }

    mutating func timeout(_ world: inout Model.World) {
        if waiting { finish(world) }
    }

    mutating func cancelCaller(_ world: inout Model.World) {
        guard waiting else { return }
        waiting = false
        result = .thrown(.cancellation)
    }

    var armedTimer: Duration? { waiting ? timeout.timer : nil }

    func parking(_ world: Model.World) -> Model.Parking {
        Model.Parking(registeredOn: waiting ? distinct.filter { !world.isEnded($0) } : [])
    }
}

// MARK: - asCompleted

/// `asCompleted(_:timeout:)`: already-ended inputs first (input order), then completion order;
/// `TimeoutError` once when the limit passes; never cancels.
struct AsCompletedModel: OperationModel {
    let distinct: [Int]
    let timeout: Model.TimeoutSpec
    let precancelled: Bool
    private var waiting = false
    private var yielded: [Int] = []
    private(set) var result: Model.OpResult?

    init(distinct: [Int], timeout: Model.TimeoutSpec, precancelled: Bool) {
        self.distinct = distinct
        self.timeout = timeout
        self.precancelled = precancelled
    }

    mutating func start(_ world: inout Model.World) {
        if distinct.isEmpty { result = .sequence([], then: nil); return }  // whatever the timeout
        if precancelled { result = .sequence([], then: .cancellation); return }
        yielded = distinct.filter(world.isEnded)
        if yielded.count == distinct.count {
            result = .sequence(yielded, then: nil)
        } else if timeout.isExpired {
            result = .sequence(yielded, then: .timeout)
        } else {
            waiting = true
        }
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        guard waiting, distinct.contains(index), !yielded.contains(index) else { return }
        yielded.append(index)
        if yielded.count == distinct.count { end(nil) }
    }

    private mutating func end(_ error: Model.Thrown?) {
        waiting = false
        result = .sequence(yielded, then: error)
    }

    mutating func timeout(_ world: inout Model.World) { if waiting { end(.timeout) } }
    mutating func cancelCaller(_ world: inout Model.World) { if waiting { end(.cancellation) } }

    var armedTimer: Duration? { waiting ? timeout.timer : nil }
    var progress: Int { yielded.count }

    func parking(_ world: Model.World) -> Model.Parking {
        Model.Parking(registeredOn: waiting ? distinct.filter { !world.isEnded($0) } : [])
    }
}

// MARK: - gather, gatherResults

/// `gather` (values, the first failure by time wins, others keep running) and `gatherResults`
/// (every result). A cancelled caller cancels every input, waits for all, then throws.
struct GatherModel: OperationModel {
    let inputs: [Int]
    let distinct: [Int]
    let precancelled: Bool
    let collectsResults: Bool
    private enum Phase { case idle, waiting, settling }
    private var phase = Phase.idle
    private(set) var result: Model.OpResult?

    init(inputs: [Int], distinct: [Int], precancelled: Bool, collectsResults: Bool) {
        self.inputs = inputs
        self.distinct = distinct
        self.precancelled = precancelled
        self.collectsResults = collectsResults
    }

    mutating func start(_ world: inout Model.World) {
        if inputs.isEmpty { result = collectsResults ? .results([]) : .values([]); return }
        if precancelled { settle(&world); return }
        // Inputs that ended before the call count in input order.
        if !collectsResults, let failure = distinct.compactMap(world.ending).first(where: Self.isFailure) {
            result = .thrown(Self.error(failure))
            return
        }
        phase = .waiting
        finishIfAllEnded(world)
    }

    private static func isFailure(_ ending: Model.Ending) -> Bool {
        if case .thrown = ending { true } else { false }
    }

    private static func error(_ ending: Model.Ending) -> Model.Thrown {
        if case .thrown(let error) = ending { error } else { preconditionFailure("not a failure") }
    }

    private mutating func finishIfAllEnded(_ world: Model.World) {
        guard distinct.allSatisfy(world.isEnded) else { return }
        switch phase {
        case .idle:
            return
        case .settling:
            result = .thrown(.cancellation)
        case .waiting:
            let endings = inputs.map { world.ending($0)! }
            result = collectsResults
                ? .results(endings)
                : .values(endings.map { if case .value(let value) = $0 { value } else { preconditionFailure() } })
        }
        phase = .idle
    }

    private mutating func settle(_ world: inout Model.World) {
        phase = .settling
        for index in distinct { world.cancel(index) }
        finishIfAllEnded(world)
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        guard phase != .idle, distinct.contains(index) else { return }
        if phase == .waiting, !collectsResults, let ending = world.ending(index), Self.isFailure(ending) {
            phase = .idle
            result = .thrown(Self.error(ending))
            return
        }
        finishIfAllEnded(world)
    }

    mutating func timeout(_ world: inout Model.World) {}

    mutating func cancelCaller(_ world: inout Model.World) {
        if phase == .waiting { settle(&world) }
    }

    var armedTimer: Duration? { nil }

    func parking(_ world: Model.World) -> Model.Parking {
        Model.Parking(registeredOn: phase == .waiting ? distinct.filter { !world.isEnded($0) } : [])
    }
}

// MARK: - waitFor

/// `waitFor(_:timeout:)`: the task's own result in time; on timeout or a cancelled caller the
/// task is cancelled and awaited, and its `CancellationError` becomes `TimeoutError` (timeout)
/// or stays `CancellationError` (caller); a value or another error after that is passed on.
struct WaitForModel: OperationModel {
    let input: Int
    let timeout: Model.TimeoutSpec
    let precancelled: Bool
    private enum Phase { case idle, waiting, settling(Model.Thrown) }
    private var phase = Phase.idle
    private(set) var result: Model.OpResult?

    init(input: Int, timeout: Model.TimeoutSpec, precancelled: Bool) {
        self.input = input
        self.timeout = timeout
        self.precancelled = precancelled
    }

    mutating func start(_ world: inout Model.World) {
        if timeout.isExpired {
            // A zero timeout only looks: a finished task gives its result, even to a
            // cancelled caller; otherwise it is a timeout at once.
            if let ending = world.ending(input) { result = .ending(ending) } else { settle(.timeout, &world) }
        } else if precancelled {
            settle(.cancellation, &world)
        } else if let ending = world.ending(input) {
            result = .ending(ending)
        } else {
            phase = .waiting
        }
    }

    private mutating func settle(_ replacement: Model.Thrown, _ world: inout Model.World) {
        phase = .settling(replacement)
        world.cancel(input)
        if let ending = world.ending(input) { finish(ending, replacing: replacement) }
    }

    private mutating func finish(_ ending: Model.Ending, replacing replacement: Model.Thrown?) {
        phase = .idle
        if let replacement, ending == .thrown(.cancellation) {
            result = .ending(.thrown(replacement))
        } else {
            result = .ending(ending)
        }
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        guard index == input, let ending = world.ending(index) else { return }
        switch phase {
        case .idle: return
        case .waiting: finish(ending, replacing: nil)
        case .settling(let replacement): finish(ending, replacing: replacement)
        }
    }

    mutating func timeout(_ world: inout Model.World) {
        if case .waiting = phase { settle(.timeout, &world) }
    }

    mutating func cancelCaller(_ world: inout Model.World) {
        if case .waiting = phase { settle(.cancellation, &world) }
    }

    var armedTimer: Duration? { if case .waiting = phase { timeout.timer } else { nil } }

    func parking(_ world: Model.World) -> Model.Parking {
        if case .waiting = phase { Model.Parking(registeredOn: [input]) } else { Model.Parking() }
    }
}

// MARK: - withTimeout / withDeadline

/// `withTimeout`: the operation (scripted task 0) runs as a child; when the limit passes it is
/// cancelled, and its `CancellationError` becomes `TimeoutError` unless the caller was
/// cancelled too. A zero limit starts it cancelled. Its value or other error passes through.
struct WithTimeoutModel: OperationModel {
    let timeout: Model.TimeoutSpec
    let precancelled: Bool
    private var expired = false
    private var callerCancelled = false
    private var timerArmed = false
    private(set) var result: Model.OpResult?

    init(timeout: Model.TimeoutSpec, precancelled: Bool) {
        self.timeout = timeout
        self.precancelled = precancelled
    }

    mutating func start(_ world: inout Model.World) {
        callerCancelled = precancelled
        expired = timeout.isExpired
        timerArmed = timeout.timer != nil && !precancelled
        if let ending = world.ending(0) { finish(ending); return }  // the operation never suspends
        if expired || precancelled { world.cancel(0) }
    }

    private mutating func finish(_ ending: Model.Ending) {
        timerArmed = false
        result = .ending(ending == .thrown(.cancellation) && expired && !callerCancelled ? .thrown(.timeout) : ending)
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        if result == nil, let ending = world.ending(0) { finish(ending) }
    }

    mutating func timeout(_ world: inout Model.World) {
        guard timerArmed else { return }
        timerArmed = false
        expired = true
        world.cancel(0)
    }

    mutating func cancelCaller(_ world: inout Model.World) {
        guard result == nil else { return }
        callerCancelled = true
        timerArmed = false  // the timer is a child of the cancelled scope
        world.cancel(0)
    }

    var armedTimer: Duration? { timerArmed ? timeout.timer : nil }

    func parking(_ world: Model.World) -> Model.Parking {
        Model.Parking(gates: result == nil ? [0] : [])
    }
}

// MARK: - TaskSet

/// A ``TaskSet`` holding every task of the scenario, and one consumer running a script of
/// calls: `next()` takes the oldest finished task; `wait` takes out every finished task
/// (`pending` = the running ones). A cancelled consumer stops at its first `CancellationError`.
struct TaskSetModel: OperationModel {
    let calls: [Model.SetCall]
    let total: Int
    private var callerCancelled: Bool
    private var ready: [Int] = []
    private var taken = 0
    private var index = 0
    private var suspended = false
    private var stopped = false
    private var started = false
    private var results: [Model.CallResult] = []

    init(calls: [Model.SetCall], total: Int, callerCancelled: Bool) {
        self.calls = calls
        self.total = total
        self.callerCancelled = callerCancelled
    }

    var result: Model.OpResult? {
        started && !suspended && (stopped || index == calls.count) ? .calls(results) : nil
    }

    /// Tasks in the set: running, or finished and not taken out.
    private var count: Int { total - taken }

    mutating func start(_ world: inout Model.World) {
        started = true
        ready = world.endOrder
        run(world)
    }

    private mutating func run(_ world: Model.World) {
        while !stopped, !suspended, index < calls.count { step(world) }
    }

    private mutating func step(_ world: Model.World) {
        switch calls[index] {
        case .next:
            if !ready.isEmpty {
                complete(.task(takeOldest()))
            } else if count == 0 {
                complete(.end)
            } else if callerCancelled {
                stop()
            } else {
                suspended = true
            }
        case .wait(let condition, let timeout):
            if count == 0 { complete(.thrown(.emptyTaskSet)); return }
            if let error = condition.validate(count: count) { complete(.thrown(error)); return }
            if callerCancelled { stop(); return }
            if timeout.isExpired || isMet(condition, world) { complete(split(world)) } else { suspended = true }
        }
    }

    private mutating func takeOldest() -> Int {
        taken += 1
        return ready.removeFirst()
    }

    private func isMet(_ condition: Model.Condition, _ world: Model.World) -> Bool {
        condition.isMet(total: count, finished: ready.compactMap(world.ending))
    }

    private mutating func split(_ world: Model.World) -> Model.CallResult {
        let done = Set(ready)
        taken += ready.count
        ready = []
        return .split(done: done, pending: Set((0..<total).filter { !world.isEnded($0) }))
    }

    private mutating func complete(_ result: Model.CallResult) {
        results.append(result)
        index += 1
    }

    private mutating func stop() {
        results.append(.thrown(.cancellation))
        stopped = true
    }

    private mutating func resume(_ result: Model.CallResult, _ world: Model.World) {
        suspended = false
        complete(result)
        run(world)
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        ready.append(index)
        guard suspended else { return }
        switch calls[self.index] {
        case .next: resume(.task(takeOldest()), world)
        case .wait(let condition, _): if isMet(condition, world) { resume(split(world), world) }
        }
    }

    mutating func timeout(_ world: inout Model.World) {
        guard suspended, case .wait(_, .after) = calls[index] else { return }
        resume(split(world), world)
    }

    mutating func cancelCaller(_ world: inout Model.World) {
        callerCancelled = true
        guard suspended else { return }
        suspended = false
        stop()
    }

    var armedTimer: Duration? {
        guard suspended, case .wait(_, let timeout) = calls[index] else { return nil }
        return timeout.timer
    }

    var progress: Int { results.count }

    /// A consumer between two calls behaves as one suspended in the next, so nothing to wait for.
    func parking(_ world: Model.World) -> Model.Parking { Model.Parking() }

    var setCount: Int? { count }
}

// MARK: - withTaskSet

/// `withTaskSet` (asyncio's `TaskGroup`): the first failure cancels every task and the body;
/// failures (the body's included) are thrown together once everything has finished; a
/// cancelled caller cancels everything; tasks spawned while shutting down never run.
struct WithTaskSetModel: OperationModel {
    /// Whether cancelling the caller after the body returned (while the scope waits for its
    /// tasks) cancels the tasks, as documented and as asyncio's `TaskGroup.__aexit__` does.
    /// The implementation does not (see FoundBugs.swift); the generator avoids that case.
    static let drainCancellationCancelsTasks = true

    let count: Int
    let body: Model.ScopeBody
    private var aborting = false
    private var errors: [Model.Thrown] = []
    private var callerCancelled = false
    private(set) var bodyOutcome: Model.Ending?
    private var late: Model.Ending?
    private(set) var result: Model.OpResult?

    init(count: Int, body: Model.ScopeBody) {
        self.count = count
        self.body = body
    }

    private var bodyGate: Int { count }

    mutating func start(_ world: inout Model.World) {
        if case .returnsAtOnce(let value) = body { bodyEnded(.value(value), &world) }
        finishIfDrained(world)
    }

    mutating func taskEnded(_ index: Int, _ world: inout Model.World) {
        if index == bodyGate {
            guard case .waits(_, let then) = body, let gate = world.ending(index) else { return }
            switch (gate, then) {
            case (.thrown, _):  // cancelled at its gate
                bodyEnded(.thrown(.cancellation), &world)
            case (.value, .returns(let value)):
                bodyEnded(.value(value), &world)
            case (.value, .throwsError(let value)):
                bodyEnded(.thrown(.body(value)), &world)
            case (.value, .spawnsLate(let value)):
                let late: Model.Ending = aborting ? .thrown(.shuttingDown) : .value(value)
                self.late = late
                bodyEnded(late, &world)
            }
        } else if case .thrown(.api(let value))? = world.ending(index) {
            errors.append(.api(value))
            abort(&world)
        }
        finishIfDrained(world)
    }

    private mutating func bodyEnded(_ ending: Model.Ending, _ world: inout Model.World) {
        bodyOutcome = ending
        if case .thrown(let error) = ending {
            if error != .cancellation { errors.append(error) }
            abort(&world)
        }
    }

    private mutating func abort(_ world: inout Model.World) {
        guard !aborting else { return }
        aborting = true
        for index in 0..<count { world.cancel(index) }
        if bodyOutcome == nil, case .waits = body { world.cancel(bodyGate) }
    }

    private mutating func finishIfDrained(_ world: Model.World) {
        guard result == nil, let bodyOutcome, (0..<count).allSatisfy(world.isEnded) else { return }
        let ending: Model.Ending =
            if !errors.isEmpty { .thrown(.group(errors)) }
            else if callerCancelled { .thrown(.cancellation) }
            else { bodyOutcome }
        result = .scope(ending, late: late)
    }

    mutating func timeout(_ world: inout Model.World) {}

    mutating func cancelCaller(_ world: inout Model.World) {
        guard result == nil else { return }
        callerCancelled = true
        if bodyOutcome == nil || Self.drainCancellationCancelsTasks { abort(&world) }
    }

    var armedTimer: Duration? { nil }

    func parking(_ world: Model.World) -> Model.Parking {
        let bodyAtGate = if case .waits = body, bodyOutcome == nil { true } else { false }
        return Model.Parking(gates: bodyAtGate ? [bodyGate] : [])
    }

    /// The body takes nothing out: every task it spawned, and the late one if it was accepted.
    var setCount: Int? { count + (late == nil || late == .thrown(.shuttingDown) ? 0 : 1) }
}
