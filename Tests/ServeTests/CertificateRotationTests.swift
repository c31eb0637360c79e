import Foundation
import Testing
import WebhookServer
import WebhookTLS

/// A directory laid out like a kubelet Secret volume: `tls.crt -> ..data/tls.crt`,
/// `..data -> ..<generation>`, swapped by renaming a new `..data` symlink over the old one.
final class SecretVolume {
    let root: URL
    private var generation = 0
    private var current: String?

    init(cert: String, key: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try swap(cert: cert, key: key)
        for name in ["tls.crt", "tls.key"] {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(name).path,
                                                       withDestinationPath: "..data/\(name)")
        }
    }

    var certPath: String { root.appendingPathComponent("tls.crt").path }
    var keyPath: String { root.appendingPathComponent("tls.key").path }
    var tls: TLSConfiguration { TLSConfiguration(certificateFile: certPath, privateKeyFile: keyPath) }

    /// Writes a new generation and atomically points `..data` at it, then removes the old one.
    func swap(cert: String, key: String) throws {
        generation += 1
        let name = "..2026_11_30_gen\(generation)"
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: cert, toPath: dir.appendingPathComponent("tls.crt").path)
        try FileManager.default.copyItem(atPath: key, toPath: dir.appendingPathComponent("tls.key").path)
        let tmp = root.appendingPathComponent("..data_tmp").path
        try FileManager.default.createSymbolicLink(atPath: tmp, withDestinationPath: name)
        guard rename(tmp, root.appendingPathComponent("..data").path) == 0 else {
            throw ExpositionError(description: "rename ..data_tmp: errno \(errno)")
        }
        if let old = current { try FileManager.default.removeItem(at: root.appendingPathComponent(old)) }
        current = name
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite struct CertificateRotationTests {
    /// Fresh handshakes and one keep-alive connection run throughout; the Secret is swapped
    /// mid-way. Nothing may fail, and handshakes move from serve-a to serve-b for good.
    @Test func symlinkSwapUnderLoadFailsNoRequest() async throws {
        let volume = try SecretVolume(cert: Fixture.path("server-a.pem"), key: Fixture.path("server-a.key"))
        try await TestService.start(tls: volume.tls).run { t in
            let script = """
            DURATION = 4.0
            results = {"fresh": {"ok": 0, "errors": [], "cns": []}, "keepalive": {"ok": 0, "errors": []}}
            def fresh():
                end = time.time() + DURATION
                while time.time() < end:
                    try:
                        s = connect()
                        cn = peer_cn(s)
                        st, body = post_review(s)
                        s.close()
                        if st == 200 and b'"allowed":true' in body:
                            results["fresh"]["ok"] += 1
                            if not results["fresh"]["cns"] or results["fresh"]["cns"][-1] != cn:
                                results["fresh"]["cns"].append(cn)
                        else:
                            results["fresh"]["errors"].append(st)
                    except Exception as e:
                        results["fresh"]["errors"].append(repr(e))
            def keepalive():
                end = time.time() + DURATION
                s = connect()
                while time.time() < end:
                    try:
                        st, body = post_review(s)
                        if st == 200: results["keepalive"]["ok"] += 1
                        else: results["keepalive"]["errors"].append(st)
                    except Exception as e:
                        results["keepalive"]["errors"].append(repr(e))
                        s = connect()
                s.close()
            threads = [threading.Thread(target=fresh), threading.Thread(target=fresh), threading.Thread(target=keepalive)]
            for th in threads: th.start()
            for th in threads: th.join()
            print(json.dumps(results))
            """
            let python = Exposition.python ?? "/usr/bin/python3"
            let prelude = pythonPrelude(port: t.tlsPort)
            let load = try Child(python, ["-c", prelude + script])
            try await Task.sleep(for: .milliseconds(1500))
            try volume.swap(cert: Fixture.path("server-b.pem"), key: Fixture.path("server-b.key"))
            let r = await load.wait(limit: .seconds(30))
            #expect(r.status == 0, "\(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Any]] ?? [:]
            let fresh = json["fresh"] ?? [:], keep = json["keepalive"] ?? [:]
            #expect((fresh["errors"] as? [Any])?.isEmpty == true, "fresh: \(fresh)")
            #expect((keep["errors"] as? [Any])?.isEmpty == true, "keep-alive: \(keep)")
            #expect((fresh["ok"] as? Int ?? 0) > 10 && (keep["ok"] as? Int ?? 0) > 10, "\(json)")
            // Each thread's sequence is appended to one list; a thread that saw serve-b never sees serve-a again,
            // so the list is serve-a, serve-b, possibly with one serve-a/serve-b pair from the other thread.
            let cns = fresh["cns"] as? [String] ?? []
            print("rotation under load: \(r.stdout)")
            #expect(cns.first == "serve-a" && cns.last == "serve-b", "\(cns)")
            let m = try await t.scrape()
            #expect(m.value("mpa_admission_certificate_reloads_total", ["result": "success"]) == 1)
            #expect(m.value("mpa_admission_certificate_reloads_total", ["result": "failure"]) == 0)
            #expect(m.value("mpa_admission_certificate_expiry_timestamp_seconds") == Double(try notAfter(Fixture.path("server-b.pem"))))
        }
    }

    /// A key that does not match, or a file that is not PEM, is reported once and the old pair keeps serving.
    @Test(arguments: [("server-b.pem", "server-a.key"), ("ca.pem", "not-a-key.txt")])
    func badNewPairKeepsTheOldOne(cert: String, key: String) async throws {
        let volume = try SecretVolume(cert: Fixture.path("server-a.pem"), key: Fixture.path("server-a.key"))
        try await TestService.start(tls: volume.tls).run { t in
            let badKey = key == "not-a-key.txt" ? try writeTemp("this is not a PEM key\n") : Fixture.path(key)
            try volume.swap(cert: Fixture.path(cert), key: badKey)
            let failed = try await eventually {
                try await t.scrape().value("mpa_admission_certificate_reloads_total", ["result": "failure"]) == 1
            }
            #expect(failed)
            let probe = """
            s = connect(); print(peer_cn(s)); print(post_review(s)[0]); s.close()
            """
            let r = try await python(probe, port: t.tlsPort)
            #expect(r.stdout == "serve-a\n200\n", "\(r.stdout) \(r.stderr)")
            #expect(t.logs.all.contains { $0.contains("\"level\":\"warning\"") && $0.contains("keeping the previous certificate") })
            // Not retried while the files stay the same.
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await t.scrape().value("mpa_admission_certificate_reloads_total", ["result": "failure"]) == 1)

            // A good pair afterwards is picked up.
            try volume.swap(cert: Fixture.path("server-b.pem"), key: Fixture.path("server-b.key"))
            let reloaded = try await eventually {
                try await t.scrape().value("mpa_admission_certificate_reloads_total", ["result": "success"]) == 1
            }
            #expect(reloaded)
            let after = try await python(probe, port: t.tlsPort)
            #expect(after.stdout == "serve-b\n200\n", "\(after.stdout) \(after.stderr)")
        }
    }

    @Test func reloaderIgnoresTouchesAndSameContent() async throws {
        let volume = try SecretVolume(cert: Fixture.path("server-a.pem"), key: Fixture.path("server-a.key"))
        let applied = AppliedCount()
        let reloader = CertificateReloader(configuration: volume.tls, apply: { _ in applied.add() })
        _ = try reloader.loadInitial()
        #expect(reloader.poll() == nil)
        // Same content in a new generation: new inode and path, same bytes → nothing to do.
        try volume.swap(cert: Fixture.path("server-a.pem"), key: Fixture.path("server-a.key"))
        #expect(reloader.poll() == nil)
        try volume.swap(cert: Fixture.path("server-b.pem"), key: Fixture.path("server-b.key"))
        guard case .reloaded(let context)? = reloader.poll() else {
            Issue.record("expected a reload")
            return
        }
        #expect(context.certificateIdentity?.commonName == "serve-b")
        #expect(context.certificateIdentity?.alternativeNames == ["localhost", "127.0.0.1"])
        #expect(reloader.poll() == nil)
        #expect(applied.value == 1)
    }
}

extension CertificateReloader.Event: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.reloaded(let x), .reloaded(let y)): return x === y
        case (.failed(let x), .failed(let y)): return x == y
        default: return false
        }
    }
}

final class AppliedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

func writeTemp(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).txt")
    try Data(text.utf8).write(to: url)
    return url.path
}
