import Foundation
import Testing

/// Admissions through the real TLS server, then `/metrics` from the plain listener, read by the
/// Prometheus reference parser (Tests/metrics/check_exposition.py).
@Suite struct MetricsEndToEndTests {
    @Test func countersAndHistogramsMoveWithAdmissions() async throws {
        try await TestService.start(rules: [AnnotatePods(), DenyName(), AlwaysThrows()]).run { t in
            let before = try await t.scrape()
            #expect(before.value("mpa_admission_requests_total",
                                 ["endpoint": "mutate", "resource": "pods", "operation": "CREATE", "result": "patched"]) == 0)

            let denied = try Fixture.podCreateReviewFile(name: "deny-me")
            defer { try? FileManager.default.removeItem(atPath: denied) }
            // 3 mutations (patched), 2 validations allowed, 1 denied, 1 bad body, 1 wrong content type.
            for _ in 0..<3 {
                let r = try await t.admit("/mutate", file: Fixture.podCreateReview)
                #expect(r.status == 200 && r.body.contains("\"patch\""), "\(r)")
            }
            for _ in 0..<2 {
                let r = try await t.admit("/validate", file: Fixture.podCreateReview)
                #expect(r.status == 200 && r.body.contains("\"allowed\":true"), "\(r)")
            }
            let d = try await t.admit("/validate", file: denied)
            #expect(d.status == 200 && d.body.contains("\"allowed\":false"), "\(d)")
            let bad = try await curl(["-H", "content-type: application/json", "--data-binary", "{\"not\":\"a review\"}",
                                      "-w", "\n%{http_code}", "\(t.base)/mutate"])
            #expect(splitStatus(bad.stdout).status == 400)
            let wrongType = try await curl(["-H", "content-type: text/plain", "--data-binary", "x",
                                            "-w", "\n%{http_code}", "\(t.base)/mutate"])
            #expect(splitStatus(wrongType.stdout).status == 415)

            let m = try await t.scrape()
            func requests(_ endpoint: String, _ result: String, resource: String = "pods", operation: String = "CREATE") -> Double {
                m.value("mpa_admission_requests_total",
                        ["endpoint": endpoint, "resource": resource, "operation": operation, "result": result])
            }
            #expect(requests("mutate", "patched") == 3)
            #expect(requests("mutate", "allowed") == 0)
            #expect(requests("validate", "allowed") == 2)
            #expect(requests("validate", "denied") == 1)
            #expect(requests("mutate", "error", resource: "unknown", operation: "unknown") == 2)

            #expect(m.families["mpa_admission_request_duration_seconds"] == "histogram")
            #expect(m.value("mpa_admission_request_duration_seconds_count", ["endpoint": "mutate"]) == 5)
            #expect(m.value("mpa_admission_request_duration_seconds_count", ["endpoint": "validate"]) == 3)
            #expect(m.value("mpa_admission_request_duration_seconds_bucket", ["endpoint": "mutate", "le": "+Inf"]) == 5)
            #expect(m.value("mpa_admission_request_duration_seconds_bucket", ["endpoint": "validate", "le": "10.0"]) == 3)
            #expect(m.value("mpa_admission_request_duration_seconds_sum", ["endpoint": "mutate"]) > 0)

            #expect(m.value("mpa_admission_rule_evaluations_total", ["rule": "annotate", "result": "patched"]) == 3)
            #expect(m.value("mpa_admission_rule_evaluations_total", ["rule": "deny-name", "result": "allowed"]) == 2)
            #expect(m.value("mpa_admission_rule_evaluations_total", ["rule": "deny-name", "result": "denied"]) == 1)
            #expect(m.value("mpa_admission_rule_evaluations_total", ["rule": "always-throws", "result": "error"]) == 3)
            #expect(m.value("mpa_admission_rule_errors_total", ["rule": "always-throws"]) == 3)
            #expect(m.value("mpa_admission_pods_patched_total") == 3)
            #expect(m.value("mpa_admission_in_flight_requests") == 0)
            #expect(m.value("mpa_admission_state_synced") == 1)
            #expect(m.value("mpa_admission_certificate_reloads_total", ["result": "success"]) == 0)
            // server-a.pem's notAfter, as openssl prints it.
            #expect(m.value("mpa_admission_certificate_expiry_timestamp_seconds") == Double(try notAfter(Fixture.path("server-a.pem"))))
        }
    }

    @Test func connectionGaugesAndHandshakeErrors() async throws {
        try await TestService.start().run { t in
            // One HTTP/2 and one HTTP/1.1 connection held open while we scrape, then a failed handshake.
            let script = """
            import subprocess
            h1 = connect()
            st, _ = post_review(h1)
            assert st == 200, st
            ctx = ssl.create_default_context(cafile=CA); ctx.set_alpn_protocols(["h2"])
            h2 = ctx.wrap_socket(socket.create_connection(("127.0.0.1", PORT)), server_hostname="localhost")
            assert h2.selected_alpn_protocol() == "h2"
            h2.sendall(b"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" + b"\\x00\\x00\\x00\\x04\\x00\\x00\\x00\\x00\\x00")
            time.sleep(0.3)
            print(subprocess.run(["curl", "-s", "http://127.0.0.1:\(t.metricsPort)/metrics"], capture_output=True, text=True).stdout)
            raw = socket.create_connection(("127.0.0.1", PORT)); raw.sendall(b"GET / HTTP/1.1\\r\\n\\r\\n")
            try: raw.recv(100)
            except ConnectionResetError: pass
            raw.close()
            h1.close(); h2.close()
            """
            let r = try await python(script, port: t.tlsPort)
            #expect(r.status == 0, "\(r.stderr)")
            let during = try Exposition.parse(r.stdout)
            #expect(during.value("mpa_admission_http_connections", ["protocol": "http1"]) == 1)
            #expect(during.value("mpa_admission_http_connections", ["protocol": "h2"]) == 1)
            let settled = try await eventually {
                let m = try await t.scrape()
                return m.value("mpa_admission_http_connections", ["protocol": "http1"]) == 0
                    && m.value("mpa_admission_http_connections", ["protocol": "h2"]) == 0
                    && m.value("mpa_admission_tls_handshake_errors_total") >= 1
            }
            #expect(settled)
        }
    }

    @Test func scrapeEndpointSpeaksPlainHTTPWithTheExpositionContentType() async throws {
        try await TestService.start().run { t in
            let head = try await curl(["-sS", "-D", "-", "-o", "/dev/null", "\(t.metricsBase)/metrics"])
            #expect(head.stdout.lowercased().contains("content-type: text/plain; version=0.0.4"))
            // Keep-alive: three requests on one connection, unknown path, wrong method, malformed request.
            let script = """
            s = socket.create_connection(("127.0.0.1", \(t.metricsPort)))
            for path in ["/healthz", "/readyz", "/nope"]:
                s.sendall(b"GET " + path.encode() + b" HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                print(read_response(s)[0])
            s.sendall(b"POST /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n\\r\\n")
            print(read_response(s)[0])
            s.close()
            s = socket.create_connection(("127.0.0.1", \(t.metricsPort)))
            s.sendall(b"GARBAGE\\r\\n\\r\\n")
            print(read_response(s)[0])
            """
            let r = try await python(script, port: t.tlsPort)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n") == ["200", "200", "404", "405", "400"])
        }
    }

    @Test func decisionsAreLoggedAtDebugWithoutBodies() async throws {
        try await TestService.start(logLevel: .debug).run { t in
            let r = try await t.admit("/mutate", file: Fixture.podCreateReview)
            #expect(r.status == 200)
            let decision = t.logs.all.first { $0.contains("\"msg\":\"admission decision\"") } ?? ""
            for field in ["\"level\":\"debug\"", "\"uid\":\"0df28fbd-5f5f-11e8-bc74-36e6bb280816\"", "\"namespace\":\"prod\"",
                          "\"name\":\"web-0\"", "\"operation\":\"CREATE\"", "\"rules\":\"annotate=patched\"",
                          "\"result\":\"patched\"", "\"latency_us\":"] {
                #expect(decision.contains(field), "\(field) missing in \(decision)")
            }
            // Nothing at info or above carries the object.
            for line in t.logs.all where !line.contains("\"level\":\"debug\"") && !line.contains("\"level\":\"trace\"") {
                #expect(!line.contains("nginx"), "\(line)")
            }
        }
    }
}

/// notAfter of a PEM certificate as Unix seconds, from openssl (independent of our OpenSSL code path).
func notAfter(_ pem: String) throws -> Int64 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    p.arguments = ["x509", "-in", pem, "-noout", "-enddate", "-dateopt", "iso_8601"]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    // notAfter=2126-11-06 03:39:25Z
    let value = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "notAfter=", with: "")
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
    guard let date = f.date(from: value) else { throw ExpositionError(description: "cannot read notAfter: \(text)") }
    return Int64(date.timeIntervalSince1970)
}
