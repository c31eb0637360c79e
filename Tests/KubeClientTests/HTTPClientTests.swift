import Foundation
import JSON
import KubeClient
import Testing
import WebhookTLS

@Suite(.serialized) struct HTTPClientTests {
    @Test func verifiesHostNameAndIP() async throws {
        let server = try await FakeAPIServer()
        // The certificate names localhost and 127.0.0.1.
        for (host, serverName) in [("127.0.0.1", nil), ("localhost", nil), ("127.0.0.1", "localhost")] as [(String, String?)] {
            let client = try KubeHTTPClient(configuration: server.configuration(host: host, serverName: serverName))
            let r = try await client.send(KubeRequest(path: "/api/v1/namespaces"))
            #expect(r.status == 200, "\(host) \(serverName ?? "")")
        }
        for (host, serverName) in [("127.0.0.1", "wrong.example"), ("127.0.0.1", "127.0.0.2")] as [(String, String?)] {
            let client = try KubeHTTPClient(configuration: server.configuration(host: host, serverName: serverName))
            do {
                _ = try await client.send(KubeRequest(path: "/api/v1/namespaces"))
                Issue.record("connected although the certificate does not name \(serverName ?? host)")
            } catch let error as KubeError {
                guard case .transport(let message) = error else { Issue.record("\(error)"); continue }
                #expect(message.contains("not accepted for \(serverName ?? host)"), "\(message)")
            }
        }
    }

    @Test func refusesUntrustedServer() async throws {
        let server = try await FakeAPIServer()
        var c = server.configuration()
        c.tls.trustedCAs = .file(Fixture.path("client.pem"))  // a leaf from the same CA is no trust anchor
        let client = try KubeHTTPClient(configuration: c)
        await #expect(throws: KubeError.self) { try await client.send(KubeRequest(path: "/api/v1/namespaces")) }
    }

    @Test func presentsClientCertificate() async throws {
        let server = try await FakeAPIServer()
        var c = server.configuration()
        c.tls.certificate = .file(Fixture.path("client.pem"))
        c.tls.privateKey = .bytes(Fixture.bytes("client.key"))
        _ = try await KubeHTTPClient(configuration: c).send(KubeRequest(path: "/api/v1/namespaces"))
        _ = try await KubeHTTPClient(configuration: server.configuration()).send(KubeRequest(path: "/api/v1/limitranges"))
        let seen = try await server.requests().map { ($0.path, $0.clientCert) }
        #expect(seen.map(\.0) == ["/api/v1/namespaces", "/api/v1/limitranges"])
        #expect(seen.map(\.1) == [true, false])
    }

    @Test func bearerTokenChecked() async throws {
        let server = try await FakeAPIServer(token: "right")
        var c = server.configuration()
        c.token = .literal("wrong")
        let r = try await KubeHTTPClient(configuration: c).send(KubeRequest(path: "/api/v1/namespaces"))
        #expect(r.status == 401)
        c.token = .none
        #expect(try await KubeHTTPClient(configuration: c).send(KubeRequest(path: "/api/v1/namespaces")).status == 401)
    }

    @Test func tokenFileReReadOnRotation() async throws {
        let server = try await FakeAPIServer(token: "first")
        let dir = TempDirectory()
        let tokenFile = dir.write("token", "first\n")
        var c = server.configuration()
        c.token = .file(tokenFile)
        let client = try KubeHTTPClient(configuration: c)
        #expect(try await client.send(KubeRequest(path: "/api/v1/namespaces")).status == 200)
        // kubelet rotates the token: the server accepts only the new one from now on.
        try await server.post("/_fake/token", ["token": "second-longer"])
        dir.write("token", "second-longer\n")
        #expect(try await client.send(KubeRequest(path: "/api/v1/namespaces")).status == 200)
        // Same size and a stale cache: the 401 makes the client read the file again.
        try await server.post("/_fake/token", ["token": "third-longer!"])
        dir.write("token", "third-longer!\n")
        #expect(try await client.send(KubeRequest(path: "/api/v1/namespaces")).status == 200)
    }

    @Test func retriesAfter429() async throws {
        let server = try await FakeAPIServer()
        try await server.fault(prefix: "/api/v1/namespaces", status: 429, count: 2, retryAfter: 1)
        let client = try KubeHTTPClient(configuration: server.configuration())
        let start = ContinuousClock.now
        let r = try await client.send(KubeRequest(path: "/api/v1/namespaces"))
        #expect(r.status == 200)
        #expect(start.duration(to: .now) >= .milliseconds(1900), "Retry-After: 1 twice")
        #expect(try await server.requests().count == 3)
        // Without Retry-After a 429 is the caller's answer.
        try await server.fault(prefix: "/api/v1/limitranges", status: 429, count: 1)
        #expect(try await client.send(KubeRequest(path: "/api/v1/limitranges")).status == 429)
    }

    @Test func rateLimited() async throws {
        let server = try await FakeAPIServer()
        var c = server.configuration()
        c.qps = 10
        c.burst = 2
        let client = try KubeHTTPClient(configuration: c)
        let start = ContinuousClock.now
        for _ in 0..<7 { _ = try await client.send(KubeRequest(path: "/api/v1/namespaces")) }
        // 2 at once, then 5 more at 10/s: at least 0.5 s.
        #expect(start.duration(to: .now) >= .milliseconds(480))
    }

    @Test func rateLimiterArithmetic() {
        let limiter = RateLimiter(qps: 4, burst: 2)
        let t0 = ContinuousClock.now
        #expect(limiter.reserve(now: t0) == .zero)
        #expect(limiter.reserve(now: t0) == .zero)
        #expect(limiter.reserve(now: t0) == .milliseconds(250))
        #expect(limiter.reserve(now: t0) == .milliseconds(500))
        // A second later 4 tokens came back, 2 were owed.
        #expect(limiter.reserve(now: t0.advanced(by: .seconds(1))) == .zero)
        #expect(RateLimiter(qps: 0, burst: 1).reserve() == .zero)
    }
}

@Suite struct RateLimiterEdgeTests {
    @Test func tinyQPSDoesNotOverflow() {
        let limiter = RateLimiter(qps: 1e-30, burst: 1)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .seconds(3600))
    }
}

@Suite struct TokenSourceTests {
    @Test(arguments: ["a\r\nX-Injected: 1", "tab\tinside", "nul\u{0}"])
    func refusesControlCharacters(_ token: String) throws {
        #expect(throws: KubeError.self) { try TokenSource(.literal(token)).token() }
        let dir = TempDirectory()
        let file = dir.write("token", token + "\n")
        #expect(throws: KubeError.self) { try TokenSource(.file(file)).token() }
    }

    @Test func fileTokenTrimmedAndCachedUntilChanged() throws {
        let dir = TempDirectory()
        let file = dir.write("token", "  abc \n")
        let source = TokenSource(.file(file))
        #expect(try source.token() == "abc")
        dir.write("token", "abcdef\n")
        #expect(try source.token() == "abcdef")
        // A file that vanishes keeps the last good token (kubelet swaps it atomically).
        try FileManager.default.removeItem(atPath: file)
        #expect(try source.token() == "abcdef")
        #expect(throws: KubeError.self) { try TokenSource(.file(file)).token() }
        #expect(try TokenSource(.none).token() == nil)
    }
}
