import Foundation
import Testing
import WebhookHTTP
import WebhookServer
import WebhookTLS

@Suite(.timeLimit(.minutes(1))) struct HTTPServerTests {
    @Test(arguments: [("--http1.1", "1.1"), ("--http2", "2")])
    func echoOverEachProtocol(flag: String, version: String) async throws {
        let s = try RunningServer.start()
        let r = try await curl([flag, "-w", "\n%{http_code} %{http_version}", "--data-binary", "ping-body",
                                "\(s.base)/echo?x=1"])
        await s.stop()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "ping-body\n200 \(version)")
    }

    @Test func clientWithoutALPNGetsHTTP1() async throws {
        let s = try RunningServer.start()
        let r = try await python("""
        s = connect()
        print("alpn", s.selected_alpn_protocol())
        s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
        sys.stdout.write(read_all(s).decode())
        """, port: s.port)
        await s.stop()
        #expect(r.stdout.hasPrefix("alpn None\nHTTP/1.1 200"), "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasSuffix("hello\n"))
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let s = try RunningServer.start()
        let r = try await curl(["--http1.1", "-w", " connects=%{num_connects}\n",
                                "\(s.base)/hello", "\(s.base)/hello", "\(s.base)/hello"])
        await s.stop()
        #expect(r.stdout == "hello\n connects=1\nhello\n connects=0\nhello\n connects=0\n", "\(r.stderr)")
    }

    @Test func pipelinedResponsesKeepRequestOrder() async throws {
        let s = try RunningServer.start()
        // The first request is slower than the second; its answer must still come first.
        let r = try await python("""
        s = connect(["http/1.1"])
        s.sendall(b"GET /delay?ms=300 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n"
                  b"GET /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n"
                  b"POST /echo HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nConnection: close\\r\\n\\r\\nthird")
        sys.stdout.write(read_all(s).decode())
        """, port: s.port)
        await s.stop()
        let out = r.stdout
        let a = out.range(of: "delayed 300"), b = out.range(of: "hello"), c = out.range(of: "third")
        #expect(a != nil && b != nil && c != nil, "\(out) \(r.stderr)")
        if let a, let b, let c { #expect(a.lowerBound < b.lowerBound && b.lowerBound < c.lowerBound) }
        #expect(out.components(separatedBy: "HTTP/1.1 200").count == 4)
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func bodyOverLimitIs413(flag: String) async throws {
        let s = try RunningServer.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString)")
        try Data(count: 7 * 1024 * 1024 + 1).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        if flag == "--http2" {
            // curl 7.88 reports the RST_STREAM(NO_ERROR) that follows an early answer (RFC 9113 §8.1)
            // as a failure; nghttp shows the frames.
            let r = try await run("/usr/bin/nghttp", ["-v", "-d", file.path, "\(s.base)/echo"])
            await s.stop()
            #expect(r.stdout.contains(":status: 413"), "\(r.stdout.suffix(800)) \(r.stderr)")
            #expect(r.stdout.contains("request body exceeds 7340032 bytes"))
        } else {
            let r = try await curl([flag, "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@\(file.path)",
                                    "\(s.base)/echo"])
            await s.stop()
            #expect(r.stdout == "413", "\(r.stderr)")
        }
    }

    @Test func bodyAtLimitIsAccepted() async throws {
        let s = try RunningServer.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("max-\(UUID().uuidString)")
        try Data(count: 7 * 1024 * 1024).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await curl(["--http1.1", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                "--data-binary", "@\(file.path)", "\(s.base)/echo"])
        await s.stop()
        #expect(r.stdout == "200 7340032", "\(r.stderr)")
    }

    @Test func malformedRequestLineIs400ThenClose() async throws {
        let s = try RunningServer.start()
        let r = try await python("""
        s = connect()
        s.sendall(b"THIS IS NOT HTTP\\r\\n\\r\\nGET /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n")
        sys.stdout.write(read_all(s).decode())
        """, port: s.port)
        await s.stop()
        #expect(r.stdout.hasPrefix("HTTP/1.1 400"), "\(r.stdout) \(r.stderr)")
        #expect(!r.stdout.contains("hello"))
    }

    @Test(arguments: [("/nope", "404", ""), ("/echo", "405", "POST")])
    func routerStatuses(path: String, status: String, allow: String) async throws {
        let s = try RunningServer.start()
        let r = try await curl(["--http1.1", "-i", "\(s.base)\(path)"])
        await s.stop()
        #expect(r.stdout.hasPrefix("HTTP/1.1 \(status)"), "\(r.stdout) \(r.stderr)")
        if !allow.isEmpty { #expect(r.stdout.lowercased().contains("allow: \(allow.lowercased())")) }
    }

    @Test func slowHeadersAreCutOffWhileOthersAreServed() async throws {
        let s = try RunningServer.start { $0.timeouts.requestHeaders = .seconds(1) }
        let slow = try Child("/usr/bin/python3", ["-c", """
        import socket, ssl, sys, time
        ctx = ssl.create_default_context(cafile="\(Fixture.path("ca.pem"))")
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", \(s.port)), timeout=10), server_hostname="localhost")
        s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: a\\r\\n")
        data = b""
        try:
            while True:
                c = s.recv(4096)
                if not c: break
                data += c
        except Exception as e:
            print("error", e)
        print("closed", data.split(b"\\r\\n")[0].decode())
        """])
        let fast = try await curl(["--http1.1", "\(s.base)/hello"])
        let slowResult = await slow.wait(limit: .seconds(15))
        await s.stop()
        #expect(fast.stdout == "hello\n")
        #expect(!slowResult.timedOut)
        #expect(slowResult.stdout == "closed HTTP/1.1 408 Request Timeout\n", "\(slowResult.stdout) \(slowResult.stderr)")
    }

    /// A burst of connections is spread over the loops by their connection counts, whichever
    /// loop wakes to accept it: kept-alive connections then share the cores.
    @Test(arguments: [(2, 8), (3, 9), (4, 6)])
    func connectionsAreSpreadOverTheLoops(loops: Int, connections: Int) async throws {
        let s = try RunningServer.start { $0.loops = loops }
        let r = try await python("""
        socks = [connect(["http/1.1"]) for _ in range(\(connections))]
        names = []
        for s in socks:
            s.sendall(b"POST /thread HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0\\r\\n\\r\\n")
            head = b""
            while not head.endswith(b"\\r\\n\\r\\n"): head += s.recv(1)
            n = int([l for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
            body = b""
            while len(body) < n: body += s.recv(n - len(body))
            names.append(body.decode().strip())
        for n in sorted(set(names)): print(n, names.count(n))
        """, port: s.port)
        await s.stop()
        let counts = r.stdout.split(separator: "\n").compactMap { line -> Int? in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[0].hasPrefix("evloop-") ? Int(parts[1]) : nil
        }
        #expect(counts.count == min(loops, connections), "\(r.stdout) \(r.stderr)")
        let lo = connections / loops, hi = (connections + loops - 1) / loops
        #expect(counts.allSatisfy { $0 >= lo && $0 <= hi }, "\(r.stdout)")
        #expect(counts.reduce(0, +) == connections)
    }

    /// Small bodies are handled on the loop that read them; big ones (and all, with limit 0)
    /// on the global pool, so one large review never stalls the loop's other connections.
    @Test(arguments: [
        ("--http1.1", 100, 16 * 1024, true), ("--http2", 100, 16 * 1024, true),
        ("--http1.1", 16 * 1024, 16 * 1024, true), ("--http1.1", 16 * 1024 + 1, 16 * 1024, false),
        ("--http2", 64 * 1024, 16 * 1024, false), ("--http1.1", 100, 0, false), ("--http2", 1, 0, false),
    ])
    func handlerRunsOnTheLoopOnlyForSmallBodies(flag: String, bodyBytes: Int, limit: Int, onLoop: Bool) async throws {
        let s = try RunningServer.start { $0.loopHandledBodyLimit = limit }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString)")
        try Data(repeating: 0x61, count: bodyBytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try await curl([flag, "--data-binary", "@\(file.path)", "\(s.base)/thread"])
        await s.stop()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("evloop-") == onLoop, "handler thread: \(r.stdout)")
        #expect(!r.stdout.isEmpty)
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func slowHandlerDoesNotStallOtherConnections(flag: String) async throws {
        let s = try RunningServer.start { $0.loops = 1 }
        // Both requests come from one shell, so their timing does not depend on this test
        // process getting CPU: the fast one must be answered while the slow one still sleeps.
        let curl = "/usr/bin/curl -sS --max-time 15 --cacert '\(Fixture.path("ca.pem"))' \(flag)"
        let r = try await run("/bin/sh", ["-c", """
            t=$(mktemp); \(curl) '\(s.base)/delay?ms=5000' > "$t" & sleep 0.2
            \(curl) -w ' %{time_total}' '\(s.base)/hello'; echo
            if kill -0 $! 2>/dev/null; then echo slow-still-running; fi
            wait; cat "$t"; rm -f "$t"
            """], limit: .seconds(30))
        await s.stop()
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(r.stdout) \(r.stderr)")
        guard lines.count == 4 else { return }
        let fast = lines[1].split(separator: " ")
        #expect(lines[0] == "hello")
        #expect(fast.count == 1 && (Double(fast[0]) ?? 99) < 4.0, "fast request took \(lines[1]) s")
        #expect(lines[2] == "slow-still-running")
        #expect(lines[3] == "delayed 5000")
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func handlerPastItsDeadlineGets504(flag: String) async throws {
        let s = try RunningServer.start()
        let r = try await curl([flag, "-w", " %{http_code}", "\(s.base)/hang?timeout=1s"])
        await s.stop()
        #expect(r.stdout == "the webhook did not answer within 1s\n 504", "\(r.stderr)")
    }

    @Test func requiredClientCertificate() async throws {
        var tls = Fixture.serverTLS
        tls.clientCAFile = Fixture.path("ca.pem")
        tls.requireClientCert = true
        let s = try RunningServer.start(tls: tls)
        let without = try await curl(["--http1.1", "\(s.base)/hello"])
        let with = try await curl(["--http1.1", "--cert", Fixture.path("client.pem"), "--key",
                                   Fixture.path("client.key"), "\(s.base)/hello"])
        await s.stop()
        #expect(without.status != 0)
        #expect(with.stdout == "hello\n", "\(with.stderr)")
    }

    @Test func connectionsOverTheLimitAreClosed() async throws {
        let s = try RunningServer.start { $0.maxConnections = 1; $0.loops = 1 }
        // The holder says when its connection is up (a file), then holds it until told to go, so a
        // loaded machine cannot make the timing decide the outcome.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("holder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let up = dir.appendingPathComponent("up").path, release = dir.appendingPathComponent("release").path
        let holder = try Child("/usr/bin/python3", ["-c", """
        import os, socket, time
        s = socket.create_connection(("127.0.0.1", \(s.port)))
        open("\(up)", "w").close()
        deadline = time.time() + 30
        while not os.path.exists("\(release)") and time.time() < deadline:
            time.sleep(0.02)
        """])
        var held = false
        for _ in 0..<500 where !held {
            held = FileManager.default.fileExists(atPath: up)
            if !held { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(held, "the holder never connected")
        // Once the held connection is counted, every further connection is closed.
        var refused = false
        for _ in 0..<50 where !refused {
            refused = try await curl(["--http1.1", "\(s.base)/hello"]).status != 0
            if !refused { try await Task.sleep(for: .milliseconds(100)) }
        }
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        _ = await holder.wait()
        // With the holder gone the slot frees up again.
        var accepted = ProcessResult(status: -1, stdout: "", stderr: "", timedOut: false)
        for _ in 0..<50 where accepted.stdout != "hello\n" {
            accepted = try await curl(["--http1.1", "\(s.base)/hello"])
            if accepted.stdout != "hello\n" { try await Task.sleep(for: .milliseconds(100)) }
        }
        await s.stop()
        #expect(refused, "a connection over the limit was served")
        #expect(accepted.stdout == "hello\n", "\(accepted.stderr)")
    }

    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        let s = try RunningServer.start()
        let inFlight = try Child("/usr/bin/curl", ["-sS", "--cacert", Fixture.path("ca.pem"), "--http2",
                                                   "\(s.base)/delay?ms=800"])
        try await Task.sleep(for: .milliseconds(300))
        #expect(s.server.isListening)
        await s.server.shutdown(grace: .seconds(5))
        let r = await inFlight.wait()
        #expect(!s.server.isListening)
        #expect(r.stdout == "delayed 800\n", "\(r.stderr)")
        let after = try await curl(["--http1.1", "\(s.base)/hello"])
        #expect(after.status != 0)
    }

    @Test func badTLSFilesFailServerCreation() {
        let config = ServerConfiguration(port: 0, tls: TLSConfiguration(certificateFile: Fixture.path("server.pem"),
                                                                        privateKeyFile: Fixture.path("other.key")))
        #expect(throws: TLSError.self) {
            _ = try HTTPServer(configuration: config, handler: Router(), logger: .init(label: "t"))
        }
    }
}
