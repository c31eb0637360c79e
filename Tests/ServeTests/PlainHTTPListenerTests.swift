import Foundation
import Logging
import Testing
import WebhookHTTP
import WebhookServer

extension ServeSuites {
    /// The cleartext scrape listener on its own: limits and timeouts that keep a hostile client small.
    @Suite struct PlainHTTPListenerTests {
        static func start(_ configure: (inout PlainHTTPListener.Configuration) -> Void = { _ in }) throws -> PlainHTTPListener {
            var router = Router()
            router.add("GET", "/hello") { _ in .text(200, "hello") }
            router.add("GET", "/slow") { _ in
                try? await Task.sleep(for: .seconds(5))
                return .text(200, "late")
            }
            var c = PlainHTTPListener.Configuration(bindAddress: "127.0.0.1", port: 0)
            configure(&c)
            var logger = Logger(label: "plain-test")
            logger.logLevel = .critical
            let listener = PlainHTTPListener(configuration: c, handler: router, logger: logger)
            try listener.start()
            return listener
        }

        @Test func limitsAndTimeouts() async throws {
            let listener = try Self.start {
                $0.idleTimeout = .seconds(1)
                $0.requestTimeout = .seconds(1)
                $0.maxConnections = 4
            }
            let script = """
            def conn():
                return socket.create_connection(("127.0.0.1", \(listener.port)), timeout=10)
            # pipelined keep-alive requests answered in order
            s = conn()
            s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /hello HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            data = b""
            while data.count(b"hello\\n") < 2:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            print(data.count(b"HTTP/1.1 200 OK\\r\\n"), "pipelined")
            s.close()
            # a body over the limit (64 KiB)
            s = conn()
            s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100000\\r\\n\\r\\n")
            print(read_response(s)[0])
            s.close()
            # a request that never completes is closed after the idle timeout
            s = conn(); s.sendall(b"GET /hel")
            t0 = time.time(); data = s.recv(100); print("closed" if data == b"" else data, round(time.time() - t0))
            # a handler past the request timeout: 504 and close
            s = conn(); s.sendall(b"GET /slow HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            print(read_response(s)[0])
            # over maxConnections: the extra ones are closed at once, the listener still answers after
            held = [conn() for _ in range(4)]
            time.sleep(0.2)
            extra = conn()
            try:
                print("extra:", extra.recv(10))
            except ConnectionResetError:
                print("extra: b''")
            for h in held: h.close()
            time.sleep(0.2)
            s = conn(); s.sendall(b"GET /hello HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"); print(read_response(s)[0])
            """
            let r = try await python(script, port: listener.port)
            await listener.shutdown()
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n") == ["2 pipelined", "413", "closed 1", "504", "extra: b''", "200"], "\(r.stdout)")
        }
    }
}
