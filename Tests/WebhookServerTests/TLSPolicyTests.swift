import Testing
import WebhookTLS

/// What the listener accepts, checked with `openssl s_client` against the real server.
@Suite(.timeLimit(.minutes(1))) struct TLSPolicyTests {
    @Test(arguments: [
        (TLSConfiguration.MinimumVersion.tls12, ["-tls1_1"], "(NONE)"),
        (.tls12, ["-tls1_2"], "TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"),
        (.tls12, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"], "(NONE)"),  // CBC refused
        (.tls12, ["-tls1_2", "-cipher", "AES128-GCM-SHA256"], "(NONE)"),        // no forward secrecy refused
        (.tls12, ["-tls1_3"], "TLSv1.3, Cipher is TLS_"),
        (.tls13, ["-tls1_2"], "(NONE)"),
        (.tls13, ["-tls1_3"], "TLSv1.3, Cipher is TLS_"),
    ] as [(TLSConfiguration.MinimumVersion, [String], String)])
    func versionsAndCiphers(minimum: TLSConfiguration.MinimumVersion, args: [String], expected: String) async throws {
        var tls = Fixture.serverTLS
        tls.minimumTLSVersion = minimum
        let s = try RunningServer.start(tls: tls)
        let r = try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(s.port)"] + args, stdin: "")
        await s.stop()
        #expect(r.stdout.contains("New, \(expected)"), "\(r.stdout.prefix(600))")
    }

    @Test(arguments: [(["-alpn", "h2,http/1.1"], "ALPN protocol: h2"), (["-alpn", "http/1.1"], "ALPN protocol: http/1.1"),
                      (["-alpn", "spdy/3"], "No ALPN negotiated"), ([], "No ALPN negotiated")])
    func alpnSelection(args: [String], expected: String) async throws {
        let s = try RunningServer.start()
        let r = try await run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(s.port)"] + args, stdin: "")
        await s.stop()
        #expect(r.stdout.contains(expected), "\(r.stdout.prefix(600))")
        #expect(r.stdout.contains("Compression: NONE"))
    }

    @Test func renegotiationIsRefused() async throws {
        let s = try RunningServer.start()
        let r = try await python("""
        ctx = ssl.create_default_context(cafile=CA)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", PORT), timeout=5), server_hostname="localhost")
        print(s.version())
        """, port: s.port)
        let reneg = try await run("/bin/sh", ["-c", "(echo R; sleep 1) | /usr/bin/openssl s_client -tls1_2 -connect 127.0.0.1:\(s.port) 2>&1"])
        await s.stop()
        #expect(r.stdout == "TLSv1.2\n")
        #expect(reneg.stdout.contains("no renegotiation"), "\(reneg.stdout.suffix(400))")
    }
}
