import Testing
import WebhookTLS

@Suite struct TLSContextTests {
    @Test func validCertificateAndKeyLoad() throws {
        let context = try TLSContext(configuration: Fixture.serverTLS)
        #expect(context.configuration.minimumTLSVersion == .tls12)
    }

    @Test func clientCAAndTLS13MinimumLoad() throws {
        var c = Fixture.serverTLS
        c.clientCAFile = Fixture.path("ca.pem")
        c.requireClientCert = true
        c.minimumTLSVersion = .tls13
        _ = try TLSContext(configuration: c)
    }

    @Test(arguments: [
        ("/nonexistent/cert.pem", "server.key", nil, "certificate file /nonexistent/cert.pem: No such file or directory"),
        ("server.pem", "/nonexistent/key.pem", nil, "private key file /nonexistent/key.pem: No such file or directory"),
        ("not-pem.txt", "server.key", nil, "is not a valid PEM certificate"),
        ("server.pem", "not-pem.txt", nil, "is not a valid PEM private key"),
        ("server.pem", "other.key", nil, "does not match certificate"),
        ("server.pem", "server.key", "/nonexistent/ca.pem", "client CA file /nonexistent/ca.pem: No such file"),
        ("server.pem", "server.key", "not-pem.txt", "holds no usable PEM certificate"),
    ] as [(String, String, String?, String)])
    func badFilesGiveClearErrors(cert: String, key: String, ca: String?, expected: String) {
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : Fixture.path(p) }
        let config = TLSConfiguration(certificateFile: resolve(cert), privateKeyFile: resolve(key),
                                      clientCAFile: ca.map(resolve))
        do {
            _ = try TLSContext(configuration: config)
            Issue.record("expected an error containing \(expected)")
        } catch {
            #expect(error.message.contains(expected), "got: \(error.message)")
        }
    }

    @Test func requireClientCertWithoutCAIsRejected() {
        var c = Fixture.serverTLS
        c.requireClientCert = true
        #expect(throws: TLSError.self) { try TLSContext(configuration: c) }
    }
}
