import Synchronization

/// Client-side token bucket (client-go's `--kube-api-qps`/`--kube-api-burst`): `burst` requests
/// at once, refilled at `qps` per second. `reserve()` takes a token now and says how long the
/// caller must wait before using it, so waiting never holds the lock.
public final class RateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    public let qps: Double
    public let burst: Int
    private let state: Mutex<State>

    /// `qps <= 0` disables limiting.
    public init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = max(1, burst)
        state = Mutex(State(tokens: Double(max(1, burst)), last: .now))
    }

    public func reserve(now: ContinuousClock.Instant = .now) -> Duration {
        guard qps > 0 else { return .zero }
        return state.withLock { s in
            let elapsed = s.last.duration(to: now)
            if elapsed > .zero {
                let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                s.tokens = min(Double(burst), s.tokens + secs * qps)
                s.last = now
            }
            s.tokens -= 1
            if s.tokens >= 0 { return .zero }
            // Capped at an hour so an absurdly small qps cannot overflow the conversion.
            let nanos = min((-s.tokens / qps * 1e9).rounded(.up), 3.6e12)
            return .nanoseconds(Int64(nanos))
        }
    }
}
