import Synchronization

/// Something `/healthz` asks; `nil` means alive, otherwise a one-line reason.
public protocol LivenessProbe: Sendable {
    func livenessFailure() -> String?
}

/// A probe made from a closure.
public struct LivenessCheck: LivenessProbe {
    let body: @Sendable () -> String?
    public init(_ body: @escaping @Sendable () -> String?) { self.body = body }
    public func livenessFailure() -> String? { body() }
}

/// An event loop calls `beat()` once per iteration (an atomic store); the probe fails when the
/// last beat is older than `maxSilence`. The loop's poll timeout must be well below `maxSilence`
/// so an idle loop still beats.
public final class LoopHeartbeat: LivenessProbe {
    public let name: String
    public let maxSilence: Duration
    private let now: @Sendable () -> Int64
    private let lastBeat: Atomic<Int64>

    /// - Parameter now: monotonic nanoseconds (injectable for tests).
    public init(name: String, maxSilence: Duration = .seconds(10),
                now: @escaping @Sendable () -> Int64 = monotonicNanoseconds) {
        self.name = name
        self.maxSilence = maxSilence
        self.now = now
        self.lastBeat = Atomic(now())
    }

    public func beat() { lastBeat.store(now(), ordering: .relaxed) }

    /// Nanoseconds since the last beat.
    public var silenceNanoseconds: Int64 { now() &- lastBeat.load(ordering: .relaxed) }

    public func livenessFailure() -> String? {
        let silence = silenceNanoseconds
        let limit = maxSilence.components.seconds &* 1_000_000_000 &+ maxSilence.components.attoseconds / 1_000_000_000
        guard silence > limit else { return nil }
        return "event loop \(name) has not ticked for \(silence / 1_000_000) ms"
    }
}
