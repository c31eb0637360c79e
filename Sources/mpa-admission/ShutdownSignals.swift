import Dispatch
import Glibc
import Synchronization

/// SIGTERM and SIGINT through Dispatch signal sources: the first starts a graceful shutdown
/// (`first()` returns), a second one exits at once with status 1.
final class ShutdownSignals: Sendable {
    private struct State {
        var received: [Int32] = []
        var waiter: CheckedContinuation<String, Never>?
        var onSecond: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "mpa-admission.signals")
    /// Kept alive for the life of the process.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    init() {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in self?.received(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Waits for the first signal and returns its name.
    func first() async -> String {
        await withCheckedContinuation { continuation in
            let already = state.withLock { s -> Int32? in
                if let first = s.received.first { return first }
                s.waiter = continuation
                return nil
            }
            if let already { continuation.resume(returning: Self.name(already)) }
        }
    }

    /// Runs `body` (then exits 1) if another signal arrives.
    func onSecond(_ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.onSecond = body }
    }

    private func received(_ sig: Int32) {
        let (waiter, isRepeat, second) = state.withLock { s -> (CheckedContinuation<String, Never>?, Bool, (@Sendable () -> Void)?) in
            s.received.append(sig)
            let w = s.waiter
            s.waiter = nil
            return (w, s.received.count > 1, s.onSecond)
        }
        waiter?.resume(returning: Self.name(sig))
        if isRepeat {
            second?()
            exit(1)
        }
    }

    static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(sig)"
        }
    }
}
