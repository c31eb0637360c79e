import Foundation
import Synchronization
import Testing
import WebhookServer
import WebhookTLS

/// Counts what the transport reports, as a metrics adapter would.
final class CountingEvents: ServerEvents {
    let opened = Mutex<[ConnectionProtocol: Int]>([:])
    let closed = Mutex<[ConnectionProtocol: Int]>([:])
    let handshakeFailures = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let timedOut = Atomic<Int>(0)
    func connectionOpened(_ proto: ConnectionProtocol) { opened.withLock { $0[proto, default: 0] += 1 } }
    func connectionClosed(_ proto: ConnectionProtocol) { closed.withLock { $0[proto, default: 0] += 1 } }
    func tlsHandshakeFailed(_ reason: String) { handshakeFailures.add(1, ordering: .relaxed) }
    func connectionRejected() { rejected.add(1, ordering: .relaxed) }
    func requestTimedOut(path: String) { timedOut.add(1, ordering: .relaxed) }
}

@Suite(.timeLimit(.minutes(1))) struct ServerLifecycleTests {
    @Test func eventsAreReportedPerProtocol() async throws {
        let events = CountingEvents()
        let s = try RunningServer.start(events: events)
        _ = try await curl(["--http1.1", "\(s.base)/hello"])
        _ = try await curl(["--http2", "\(s.base)/hello", "\(s.base)/hello"])
        _ = try await curl(["--http2", "\(s.base)/hang?timeout=1s"])
        _ = try await run("/usr/bin/curl", ["-sS", "\(s.base)/hello"])  // untrusted CA: client aborts
        await s.stop()
        #expect(events.opened.withLock { $0 } == [.http1: 1, .http2: 2])
        #expect(events.closed.withLock { $0 } == [.http1: 1, .http2: 2])
        #expect(events.handshakeFailures.load(ordering: .relaxed) == 1)
        #expect(events.timedOut.load(ordering: .relaxed) == 1)
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let s = try RunningServer.start { $0.timeouts.idle = .seconds(1) }
        let r = try await python("""
        s = connect(["http/1.1"])
        s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n")
        data = read_all(s)
        print(data.count(b"HTTP/1.1 200"), data.endswith(b"hello\\n"))
        """, port: s.port)
        await s.stop()
        #expect(r.stdout == "1 True\n", "\(r.stderr)")
    }

    @Test func silentClientIsDroppedAfterHandshakeTimeout() async throws {
        let events = CountingEvents()
        let s = try RunningServer.start(events: events) { $0.timeouts.tlsHandshake = .seconds(1) }
        let r = try await python("""
        raw = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        print("eof" if raw.recv(10) == b"" else "data")
        """, port: s.port)
        await s.stop()
        #expect(r.stdout == "eof\n", "\(r.stderr)")
        #expect(events.handshakeFailures.load(ordering: .relaxed) == 1)
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func chunkedAndExpectContinueBodies(flag: String) async throws {
        let s = try RunningServer.start()
        let r = try await curl([flag, "-H", "Transfer-Encoding: chunked", "-H", "Expect: 100-continue",
                                "--data-binary", "chunked-body", "\(s.base)/echo"])
        await s.stop()
        #expect(r.stdout == "chunked-body", "\(r.stderr)")
    }

    @Test func replacedTLSContextAppliesToNewHandshakes() async throws {
        let s = try RunningServer.start()
        let before = try await run("/usr/bin/openssl", ["s_client", "-tls1_2", "-connect", "127.0.0.1:\(s.port)"], stdin: "")
        var tls = Fixture.serverTLS
        tls.minimumTLSVersion = .tls13
        s.server.replaceTLSContext(try TLSContext(configuration: tls))
        let after = try await run("/usr/bin/openssl", ["s_client", "-tls1_2", "-connect", "127.0.0.1:\(s.port)"], stdin: "")
        let still = try await curl(["--http1.1", "\(s.base)/hello"])
        await s.stop()
        #expect(before.stdout.contains("New, TLSv1.2"))
        #expect(after.stdout.contains("New, (NONE)"))
        #expect(still.stdout == "hello\n")
    }

    @Test func portInUseIsAClearError() async throws {
        let s = try RunningServer.start()
        let config = ServerConfiguration(bindAddress: "127.0.0.1", port: s.port, tls: Fixture.serverTLS)
        let second = try HTTPServer(configuration: config, handler: testRouter(), logger: .init(label: "t"))
        do {
            _ = try second.start()
            Issue.record("second bind succeeded")
        } catch {
            #expect("\(error)" == "cannot listen on 127.0.0.1:\(s.port): Address already in use")
        }
        #expect(!second.isListening)
        await s.stop()
    }
}
