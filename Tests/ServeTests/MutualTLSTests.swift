import Testing
import WebhookTLS

/// `--client-ca-file` + `--require-client-cert` [+ `--allowed-client-names`]: verified in the handshake.
@Suite struct MutualTLSTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var allowed: [String]
        var clientCert: String?
        var accepted: Bool
        var testDescription: String { "allowed=\(allowed) cert=\(clientCert ?? "none") → \(accepted ? "accepted" : "refused")" }
    }

    static let cases: [Case] = [
        Case(allowed: ["apiserver-client"], clientCert: "client", accepted: true),
        Case(allowed: ["APISERVER-CLIENT"], clientCert: "client", accepted: true),
        Case(allowed: ["someone", "kube-apiserver.example"], clientCert: "client", accepted: true),
        Case(allowed: ["spiffe://cluster/apiserver"], clientCert: "client", accepted: true),
        Case(allowed: ["apiserver-client"], clientCert: "intruder", accepted: false),
        Case(allowed: ["apiserver-client"], clientCert: nil, accepted: false),
        Case(allowed: ["apiserver"], clientCert: "client", accepted: false),
        Case(allowed: [], clientCert: "intruder", accepted: true),
        Case(allowed: [], clientCert: nil, accepted: false),
    ]

    @Test(arguments: cases)
    func clientCertificatePolicy(_ c: Case) async throws {
        let tls = TLSConfiguration(certificateFile: Fixture.path("server-a.pem"), privateKeyFile: Fixture.path("server-a.key"),
                                   clientCAFile: Fixture.path("ca.pem"), requireClientCert: true,
                                   allowedClientNames: c.allowed)
        try await TestService.start(tls: tls).run { t in
            var args = ["-H", "content-type: application/json", "--data-binary", "@\(Fixture.podCreateReview)",
                        "-w", "\n%{http_code}"]
            if let cert = c.clientCert {
                args += ["--cert", Fixture.path("\(cert).pem"), "--key", Fixture.path("\(cert).key")]
            }
            for version in ["--tlsv1.2", "--tlsv1.3"] {
                let extra = version == "--tlsv1.2" ? ["--tls-max", "1.2"] : []
                let r = try await curl(args + [version] + extra + ["\(t.base)/mutate"])
                let status = splitStatus(r.stdout).status
                if c.accepted {
                    #expect(r.status == 0 && status == 200, "\(version): \(r.stderr)")
                } else {
                    #expect(r.status != 0 && status != 200, "\(version): got \(status)")
                }
            }
            if !c.accepted {
                #expect(try await t.scrape().value("mpa_admission_tls_handshake_errors_total") >= 1)
            }
        }
    }

    @Test func allowedNamesNeedARequiredClientCertificate() {
        let tls = TLSConfiguration(certificateFile: Fixture.path("server-a.pem"), privateKeyFile: Fixture.path("server-a.key"),
                                   clientCAFile: Fixture.path("ca.pem"), requireClientCert: false,
                                   allowedClientNames: ["apiserver-client"])
        #expect(throws: TLSError("allowed client names need a client CA file and requireClientCert")) {
            _ = try TLSContext(configuration: tls)
        }
    }
}
