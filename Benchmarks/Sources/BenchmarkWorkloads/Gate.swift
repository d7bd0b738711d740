import Synchronization

/// A one-shot gate: ``wait()`` suspends until ``open()``; the stand-in for asyncio's bare
/// `Future` that the W2g tasks await.
public final class Gate: Sendable {
    private enum State {
        case closed
        case waiting(UnsafeContinuation<Void, Never>)
        case open
    }

    private let state = Mutex<State>(.closed)

    public init() {}

    /// Returns once the gate is open; at once if it already is. One waiter at most.
    public func wait() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let openAlready = state.withLock { state -> Bool in
                switch state {
                case .open:
                    return true
                case .closed:
                    state = .waiting(continuation)
                    return false
                case .waiting:
                    preconditionFailure("Gate: two waiters")
                }
            }
            if openAlready { continuation.resume() }
        }
    }

    /// Opens the gate, resuming the waiter if there is one. Idempotent.
    public func open() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            switch state {
            case .waiting(let continuation):
                state = .open
                return continuation
            case .closed, .open:
                state = .open
                return nil
            }
        }
        waiter?.resume()
    }
}
