import Foundation
import Testing

extension ServeSuites {
    /// The built `mpa-admission serve` as a process: flag errors, a real round-trip, SIGTERM.
    @Suite struct ServeCommandTests {
        static var certArgs: [String] {
            ["--tls-cert-file", Fixture.path("server-a.pem"), "--tls-private-key", Fixture.path("server-a.key")]
        }
        static var loopback: [String] { ["--bind-address", "127.0.0.1", "--port", "0", "--metrics-address", "127.0.0.1:0"] }

        struct BadFlags: Sendable, CustomTestStringConvertible {
            var args: [String]
            var message: String
            var testDescription: String { args.joined(separator: " ") }
        }

        static let badFlags: [BadFlags] = [
            BadFlags(args: ["--bogus"], message: "Unknown option '--bogus'"),
            BadFlags(args: ["--port", "abc"], message: "invalid for '--port <port>'"),
            BadFlags(args: ["--port", "70000"], message: "--port 70000: must be 0 to 65535"),
            BadFlags(args: ["--bind-address", "localhost"], message: "--bind-address localhost: not an IPv4 or IPv6 address"),
            BadFlags(args: ["--min-tls-version", "1.1"], message: "--min-tls-version 1.1: must be 1.2 or 1.3"),
            BadFlags(args: ["--metrics-address", "8944"], message: "--metrics-address \"8944\" is not host:port or :port"),
            BadFlags(args: ["--metrics-address", "::1:80"], message: "in brackets"),
            BadFlags(args: ["--log-format", "xml"], message: "--log-format xml: must be json or text"),
            BadFlags(args: ["--log-level", "loud"], message: "--log-level loud: must be one of trace, debug"),
            BadFlags(args: ["--shutdown-grace", "5x"], message: "--shutdown-grace \"5x\" is not a duration"),
            BadFlags(args: ["--require-client-cert"], message: "--require-client-cert needs --client-ca-file"),
            BadFlags(args: ["--allowed-client-names", "a,b"], message: "--allowed-client-names needs --require-client-cert"),
            BadFlags(args: ["--state", "/nonexistent-dir"], message: "--state /nonexistent-dir: not a directory"),
            BadFlags(args: ["--state", "/tmp", "--kubeconfig", "/tmp/kc"], message: "--state and --kubeconfig are mutually exclusive"),
            BadFlags(args: ["--kubeconfig", "/nonexistent/kubeconfig"], message: "--kubeconfig: "),
            BadFlags(args: ["--config", "/nonexistent.json"], message: "--config /nonexistent.json: cannot read file"),
            BadFlags(args: ["--max-connections", "0"], message: "--max-connections 0: must be 1 to 1000000"),
        ]

        @Test(arguments: badFlags)
        func badFlagIsOneLineAndExitTwo(_ c: BadFlags) async throws {
            let r = try await run(Fixture.binary, ["serve"] + Self.loopback + Self.certArgs + c.args,
                                  environment: ["PATH": "/usr/bin:/bin"])
            #expect(r.status == 2, "\(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(c.message), "\(r.stderr)")
        }

        static let badCertificates: [(cert: String, key: String, message: String)] = [
            ("/nonexistent/tls.crt", "server-a.key", "certificate file /nonexistent/tls.crt: No such file or directory"),
            ("server-a.pem", "/nonexistent/tls.key", "private key file /nonexistent/tls.key: No such file or directory"),
            ("server-a.pem", "server-b.key", "does not match certificate"),
            ("not-pem.txt", "server-a.key", "is not a valid PEM certificate"),
            ("server-a.pem", "not-pem.txt", "is not a valid PEM private key"),
            ("server-a.pem", "/tmp", "is not a valid PEM private key"),
        ]

        @Test(arguments: badCertificates)
        func badCertificateOrKeyIsOneLineAndExitTwo(_ c: (cert: String, key: String, message: String)) async throws {
            let cert = c.cert.hasPrefix("/") ? c.cert : Fixture.path(c.cert)
            let key = c.key.hasPrefix("/") ? c.key : Fixture.path(c.key)
            let r = try await run(Fixture.binary, ["serve"] + Self.loopback + ["--tls-cert-file", cert, "--tls-private-key", key],
                                  environment: ["PATH": "/usr/bin:/bin"])
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(c.message), "\(r.stderr)")
        }

        /// With an empty state and no rules the pod passes unchanged; then SIGTERM exits 0.
        @Test func roundTripThenSigtermExitsZero() async throws {
            let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: stateDir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: stateDir) }
            let server = try Child(Fixture.binary, ["serve"] + Self.loopback + Self.certArgs
                                   + ["--state", stateDir.path, "--log-format", "json", "--shutdown-grace", "5s"],
                                   environment: ["PATH": "/usr/bin:/bin"])
            var ports: (tls: Int, metrics: Int)?
            _ = await eventually(.seconds(20)) {
                ports = Self.servingPorts(server.stderrSoFar)
                return ports != nil || !server.isRunning
            }
            guard let ports else {
                let r = await server.wait(limit: .seconds(1))
                Issue.record("server did not start: \(r.stderr)")
                return
            }
            let t = (base: "https://localhost:\(ports.tls)", metrics: "http://127.0.0.1:\(ports.metrics)")
            let ready = try await curl(["-w", "%{http_code}", "-o", "/dev/null", "\(t.base)/readyz"])
            #expect(ready.stdout == "200")
            let review = try await curl(["--http1.1", "-H", "content-type: application/json",
                                         "--data-binary", "@\(Fixture.podCreateReview)", "\(t.base)/mutate?timeout=10s"])
            #expect(review.stdout == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0df28fbd-5f5f-11e8-bc74-36e6bb280816","allowed":true}}"#)
            let h2 = try await curl(["--http2", "-H", "content-type: application/json",
                                     "--data-binary", "@\(Fixture.podCreateReview)", "\(t.base)/validate"])
            #expect(h2.stdout.contains("\"allowed\":true"))
            let metrics = try await curl(["\(t.metrics)/metrics"])
            let m = try await Exposition.parse(metrics.stdout)
            #expect(m.value("mpa_admission_requests_total",
                            ["endpoint": "mutate", "resource": "pods", "operation": "CREATE", "result": "allowed"]) == 1)

            server.signal(SIGTERM)
            let r = await server.wait(limit: .seconds(10))
            #expect(!r.timedOut && r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("\"msg\":\"signal received; draining\"") && r.stderr.contains("\"signal\":\"SIGTERM\""))
            #expect(r.stderr.contains("\"msg\":\"shutdown complete\""))
            // Nothing but JSON lines on stderr, and no object content at the default level.
            for line in r.stderr.split(separator: "\n") {
                #expect(line.hasPrefix("{\"ts\":"), "\(line)")
                #expect(!line.contains("nginx"))
            }
        }

        /// Ports from the `mpa-admission serving` JSON log line.
        static func servingPorts(_ stderr: String) -> (tls: Int, metrics: Int)? {
            for line in stderr.split(separator: "\n") where line.contains("\"msg\":\"mpa-admission serving\"") {
                guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let port = (json["port"] as? String).flatMap(Int.init),
                      let metricsAddress = json["metrics_address"] as? String,
                      let metrics = metricsAddress.split(separator: ":").last.flatMap({ Int($0) }) else { return nil }
                return (port, metrics)
            }
            return nil
        }
    }
}
