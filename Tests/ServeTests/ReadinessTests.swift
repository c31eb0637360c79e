import Observability
import Testing

/// `/readyz` = certificates loaded, listening, cluster state synced, not shutting down.
@Suite struct ReadinessTests {
    @Test func readyOnlyAfterCertificatesAndStateSyncAndUntilShutdown() async throws {
        let health = HealthState()
        #expect(health.readinessReasons == ["certificates not loaded", "not listening", "cluster state not synced"])
        let state = GatedStateSource()
        let t = try await TestService.start(state: state, health: health)
        try await t.run { t in
            #expect(health.certificatesLoaded)
            for base in [t.base, t.metricsBase] {
                let r = try await t.get("\(base)/readyz")
                #expect(r.status == 503 && r.body == "cluster state not synced\n", "\(base): \(r)")
                // Liveness does not wait for the state.
                #expect(try await t.get("\(base)/healthz").status == 200)
            }
            #expect(try await t.scrape().value("mpa_admission_state_synced") == 0)

            state.open(objects: 7)
            for base in [t.base, t.metricsBase] {
                let r = try await t.get("\(base)/readyz")
                #expect(r.status == 200 && r.body == "ok\n", "\(base): \(r)")
            }
            let m = try await t.scrape()
            #expect(m.value("mpa_admission_state_synced") == 1)
            #expect(m.value("mpa_admission_state_objects", ["kind": "MultidimPodAutoscaler"]) == 7)

            t.service.beginShutdown()
            let r = try await t.get("\(t.metricsBase)/readyz")
            #expect(r.status == 503 && r.body == "shutting down\n", "\(r)")
        }
    }

    @Test func livenessFailsWhenAnEventLoopStopsBeating() {
        let now = NanosClock()
        let beat = LoopHeartbeat(name: "0", maxSilence: .seconds(10), now: { now.value })
        let health = HealthState()
        health.addLivenessProbe(beat)
        #expect(health.isLive)
        now.value += 11_000_000_000
        #expect(health.livenessFailures == ["event loop 0 has not ticked for 11000 ms"])
        beat.beat()
        #expect(health.isLive)
    }

    /// An idle server's loops still beat (they wake once a second), so /healthz stays 200 with no traffic.
    @Test func idleServerStaysLive() async throws {
        try await TestService.start(configure: { $0.loopStallLimit = .milliseconds(1600) }).run { t in
            try await Task.sleep(for: .milliseconds(2500))
            #expect(t.service.health.livenessFailures.isEmpty)
            #expect(try await t.get("\(t.metricsBase)/healthz").status == 200)
        }
    }
}

final class NanosClock: @unchecked Sendable {
    var value: Int64 = 1_000_000_000
}
