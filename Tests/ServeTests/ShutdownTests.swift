import Foundation
import Testing

/// Graceful shutdown: readiness fails at once, in-flight requests finish, new connections are refused.
@Suite struct ShutdownTests {
    @Test func inFlightRequestsFinishDuringShutdown() async throws {
        let t = try await TestService.start(rules: [AnnotatePods(delay: .seconds(4))], grace: .seconds(10))
        try await t.run { t in
            let clients = try (0..<6).map { _ in
                try Child("/usr/bin/curl", ["-sS", "--cacert", Fixture.path("ca.pem"), "--max-time", "20",
                                            "-H", "content-type: application/json",
                                            "--data-binary", "@\(Fixture.podCreateReview)", "-w", "\n%{http_code}",
                                            "\(t.base)/mutate?timeout=10s"])
            }
            let inFlight = try await eventually {
                try await t.scrape().value("mpa_admission_in_flight_requests") == 6
            }
            #expect(inFlight)
            let clock = ContinuousClock()
            let start = clock.now
            async let stopped: Void = t.service.shutdown()
            // Readiness fails at once, while the requests are still running.
            let notReady = await eventually(.seconds(1)) { t.service.health.readinessReasons.contains("shutting down") }
            #expect(notReady)
            await stopped
            #expect(clock.now - start < .seconds(8))
            for c in clients {
                let r = await c.wait()
                let (status, body) = splitStatus(r.stdout)
                #expect(status == 200 && body.contains("\"patch\""), "\(r.stdout) \(r.stderr)")
            }
            let after = try await curl(["\(t.base)/readyz"])
            #expect(after.status != 0, "a new connection after shutdown must be refused")
        }
    }

    @Test func requestsPastTheGraceAreCutOff() async throws {
        let t = try await TestService.start(rules: [AnnotatePods(delay: .seconds(5))], grace: .milliseconds(500))
        try await t.run { t in
            let client = try Child("/usr/bin/curl", ["-sS", "--cacert", Fixture.path("ca.pem"), "--max-time", "20",
                                                     "-H", "content-type: application/json",
                                                     "--data-binary", "@\(Fixture.podCreateReview)",
                                                     "\(t.base)/mutate?timeout=10s"])
            let inFlight = try await eventually { try await t.scrape().value("mpa_admission_in_flight_requests") == 1 }
            #expect(inFlight)
            let clock = ContinuousClock()
            let start = clock.now
            await t.service.shutdown()
            #expect(clock.now - start < .seconds(3))
            let r = await client.wait()
            #expect(r.status != 0, "the request outliving the grace period is dropped, not answered: \(r.stdout) \(r.stderr)")
        }
    }
}
