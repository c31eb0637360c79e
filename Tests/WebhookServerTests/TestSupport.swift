import CLinux
import Foundation
import Logging
import WebhookHTTP
import WebhookServer
import WebhookTLS

enum Fixture {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)?.path ?? "/missing/\(name)"
    }
    static var serverTLS: TLSConfiguration {
        TLSConfiguration(certificateFile: path("server.pem"), privateKeyFile: path("server.key"))
    }
}

/// The router the transport tests talk to.
func testRouter() -> Router {
    var r = Router()
    r.add("POST", "/echo") { req in
        var resp = HTTPResponse(status: 200, body: req.body)
        resp.headers.add(name: "x-query", value: req.query)
        return resp
    }
    r.add("GET", "/hello") { _ in .text(200, "hello") }
    // The name of the thread the handler runs on (event loops are "evloop-N").
    r.add("POST", "/thread") { _ in
        var name = [CChar](repeating: 0, count: 32)
        _ = shim_get_thread_name(&name)
        return .text(200, String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    r.add("GET", "/delay") { req in
        let ms = Int(req.queryValue("ms") ?? "") ?? 100
        try? await Task.sleep(for: .milliseconds(ms))
        return .text(200, "delayed \(ms)")
    }
    r.add("GET", "/hang") { _ in
        try? await Task.sleep(for: .seconds(60))
        return .text(200, "woke up")
    }
    return r
}

/// A running server on 127.0.0.1 with an ephemeral port.
struct RunningServer {
    let server: HTTPServer
    let port: Int
    var base: String { "https://localhost:\(port)" }

    static func start(tls: TLSConfiguration = Fixture.serverTLS, events: (any ServerEvents)? = nil,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> RunningServer {
        var config = ServerConfiguration(bindAddress: "127.0.0.1", port: 0, tls: tls, loops: 2)
        configure(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let server = try HTTPServer(configuration: config, handler: testRouter(), logger: logger, events: events)
        let port = try server.start()
        return RunningServer(server: server, port: port)
    }

    func stop() async { await server.shutdown(grace: .seconds(2)) }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
}

/// Runs a child process with a hard time limit; output goes through temp files (no pipe deadlocks).
final class Child: @unchecked Sendable {
    let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ executable: String, _ arguments: [String], stdin: String? = nil) throws {
        let dir = FileManager.default.temporaryDirectory
        outURL = dir.appendingPathComponent("child-\(UUID().uuidString).out")
        errURL = dir.appendingPathComponent("child-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    var isRunning: Bool { process.isRunning }

    func wait(limit: Duration = .seconds(20)) async -> ProcessResult {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        var timedOut = false
        while process.isRunning {
            if clock.now >= end {
                timedOut = true
                process.terminate()
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return ProcessResult(status: process.terminationStatus, stdout: out, stderr: err, timedOut: timedOut)
    }
}

func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
         limit: Duration = .seconds(20)) async throws -> ProcessResult {
    try await Child(executable, arguments, stdin: stdin).wait(limit: limit)
}

/// curl against the test CA, output body then a trailer line written by `-w`.
func curl(_ args: [String], limit: Duration = .seconds(20)) async throws -> ProcessResult {
    try await run("/usr/bin/curl", ["-sS", "--cacert", Fixture.path("ca.pem"), "--max-time", "15"] + args,
                  limit: limit)
}

/// A python3 raw-TLS client script; `PORT` and `CA` are set in its environment-like prelude.
func python(_ script: String, port: Int, limit: Duration = .seconds(20)) async throws -> ProcessResult {
    let prelude = """
    import socket, ssl, sys, time
    PORT = \(port)
    CA = \"\(Fixture.path("ca.pem"))\"
    def connect(alpn=None):
        ctx = ssl.create_default_context(cafile=CA)
        if alpn: ctx.set_alpn_protocols(alpn)
        s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        return ctx.wrap_socket(s, server_hostname="localhost")
    def read_all(s):
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
        except (socket.timeout, ConnectionResetError, ssl.SSLError):
            pass
        return data

    """
    return try await run("/usr/bin/python3", ["-c", prelude + script], limit: limit)
}
