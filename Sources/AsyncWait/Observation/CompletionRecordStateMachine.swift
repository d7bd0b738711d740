/// The state of one task's ``CompletionRecord``: running with the observers waiting for it, or
/// finished with its outcome.
struct CompletionRecordStateMachine: ~Copyable {
    struct Registration {
        let observer: any CompletionObserver
        let slot: Int
        var key: ObjectIdentifier { ObjectIdentifier(observer) }
    }

    /// Who is waiting. Almost always zero or one observer, so that case allocates nothing.
    private enum Waiters {
        case none
        case one(Registration)
        case many([ObjectIdentifier: Registration])
    }

    private enum State {
        /// The task has not been seen to finish.
        case running(Waiters)
        /// The task finished; late registrations get the outcome at once.
        case finished(TaskOutcome)
    }

    private var state: State = .running(.none)

    enum RegisterAction {
        /// Registered: `taskDidFinish` will be called once the task finishes.
        case registered
        /// The task had already finished; nothing was registered.
        case alreadyFinished(TaskOutcome)
    }

    mutating func register(_ registration: Registration) -> RegisterAction {
        switch state {
        case .finished(let outcome):
            return .alreadyFinished(outcome)
        case .running(.none):
            state = .running(.one(registration))
        case .running(.one(let existing)):
            if existing.key == registration.key {
                state = .running(.one(registration))
            } else {
                state = .running(.many([existing.key: existing, registration.key: registration]))
            }
        case .running(.many(var all)):
            state = .running(.none)  // avoid a copy of the dictionary while mutating it
            all[registration.key] = registration
            state = .running(.many(all))
        }
        return .registered
    }

    /// Removes `observer`'s registration, if any. Idempotent; a no-op once finished.
    mutating func deregister(_ key: ObjectIdentifier) {
        switch state {
        case .finished, .running(.none):
            return
        case .running(.one(let existing)):
            if existing.key == key { state = .running(.none) }
        case .running(.many(var all)):
            state = .running(.none)
            all[key] = nil
            if all.count == 1, let last = all.first?.value {
                state = .running(.one(last))
            } else {
                state = .running(all.isEmpty ? .none : .many(all))
            }
        }
    }

    enum FinishAction {
        case notifyNone
        case notifyOne(Registration)
        case notifyMany([Registration])
    }

    /// The task finished: hand back everyone to notify (outside the lock).
    mutating func finish(_ outcome: TaskOutcome) -> FinishAction {
        switch state {
        case .finished:
            preconditionFailure("Internal inconsistency: a task finished twice")
        case .running(let waiters):
            state = .finished(outcome)
            switch waiters {
            case .none: return .notifyNone
            case .one(let registration): return .notifyOne(registration)
            case .many(let all): return .notifyMany(Array(all.values))
            }
        }
    }

    var outcome: TaskOutcome? {
        switch state {
        case .finished(let outcome): outcome
        case .running: nil
        }
    }

    var registrationCount: Int {
        switch state {
        case .finished, .running(.none): 0
        case .running(.one): 1
        case .running(.many(let all)): all.count
        }
    }
}
