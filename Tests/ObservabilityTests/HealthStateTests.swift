import Observability
import Synchronization
import Testing

/// A monotonic clock the test moves by hand.
final class FakeMonotonicClock: Sendable {
    private let nanos = Atomic<Int64>(1_000_000_000)
    func now() -> Int64 { nanos.load(ordering: .relaxed) }
    func advance(_ d: Duration) { nanos.add(d.components.seconds * 1_000_000_000, ordering: .relaxed) }
}

@Suite struct HealthStateTests {
    struct Flags: Sendable, CustomStringConvertible {
        var certs, listening, synced, shuttingDown: Bool
        var description: String { "certs=\(certs) listening=\(listening) synced=\(synced) shutdown=\(shuttingDown)" }
    }

    @Test(arguments: [
        (Flags(certs: false, listening: false, synced: false, shuttingDown: false),
         ["certificates not loaded", "not listening", "cluster state not synced"]),
        (Flags(certs: true, listening: false, synced: false, shuttingDown: false), ["not listening", "cluster state not synced"]),
        (Flags(certs: true, listening: true, synced: false, shuttingDown: false), ["cluster state not synced"]),
        (Flags(certs: true, listening: true, synced: true, shuttingDown: false), []),
        (Flags(certs: true, listening: true, synced: true, shuttingDown: true), ["shutting down"]),
        (Flags(certs: false, listening: true, synced: true, shuttingDown: true), ["certificates not loaded", "shutting down"]),
    ])
    func readiness(flags: Flags, reasons: [String]) {
        let health = HealthState()
        health.certificatesLoaded = flags.certs
        health.listening = flags.listening
        health.stateSynced = flags.synced
        health.shuttingDown = flags.shuttingDown
        #expect(health.readinessReasons == reasons)
        #expect(health.isReady == reasons.isEmpty)
    }

    @Test func readinessFollowsStartupThenShutdown() {
        let health = HealthState()
        #expect(!health.isReady)
        health.certificatesLoaded = true
        health.listening = true
        #expect(!health.isReady)
        health.stateSynced = true
        #expect(health.isReady)
        health.shuttingDown = true
        #expect(!health.isReady)
        #expect(health.isLive, "shutting down must not fail liveness")
    }

    @Test func heartbeatFailsAfterSilenceAndRecoversOnBeat() {
        let clock = FakeMonotonicClock()
        let beat = LoopHeartbeat(name: "loop-0", maxSilence: .seconds(5), now: { clock.now() })
        let health = HealthState()
        health.addLivenessProbe(beat)
        #expect(health.isLive)
        clock.advance(.seconds(5))
        #expect(health.isLive, "exactly maxSilence is still alive")
        clock.advance(.seconds(1))
        #expect(health.livenessFailures == ["event loop loop-0 has not ticked for 6000 ms"])
        beat.beat()
        #expect(health.isLive)
    }

    @Test func everyFailingProbeIsReported() {
        let health = HealthState()
        health.addLivenessProbe(LivenessCheck { nil })
        health.addLivenessProbe(LivenessCheck { "loop 1 stuck" })
        health.addLivenessProbe(LivenessCheck { "loop 2 stuck" })
        #expect(health.livenessFailures == ["loop 1 stuck", "loop 2 stuck"])
        #expect(!health.isLive)
    }
}
