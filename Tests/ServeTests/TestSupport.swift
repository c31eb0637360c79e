import AdmissionAPI
import AdmissionRules
import AdmissionService
import Foundation
import JSON
import Logging
import Observability
import Prometheus
import Synchronization
import Testing
import WebhookServer
import WebhookTLS

enum Fixture {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)?.path ?? "/missing/\(name)"
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A recorded pod CREATE review (shared with the AdmissionAPI tests).
    static var podCreateReview: String {
        packageRoot.appendingPathComponent("Tests/AdmissionAPITests/Fixtures/v1-pod-create-no-annotations.json").path
    }

    /// The same review as text with `metadata.name` replaced (the validator below denies `deny-me`).
    static func podCreateReview(name: String) throws -> String {
        let text = try String(contentsOfFile: podCreateReview, encoding: .utf8)
        return text.replacingOccurrences(of: "\"name\":\"web-0\"", with: "\"name\":\"\(name)\"")
    }

    /// `podCreateReview(name:)` written to a temporary file, for curl's `--data-binary @file`.
    static func podCreateReviewFile(name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(name)-\(UUID().uuidString).json")
        try Data(try podCreateReview(name: name).utf8).write(to: url)
        return url.path
    }

    static var checkExposition: String { packageRoot.appendingPathComponent("Tests/metrics/check_exposition.py").path }

    static func tls(cert: String = "server-a.pem", key: String = "server-a.key") -> TLSConfiguration {
        TLSConfiguration(certificateFile: path(cert), privateKeyFile: path(key))
    }

    /// The built `mpa-admission` next to the test bundle (`swift test` builds every product).
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The xctest runner may live inside a `.xctest` bundle directory on some toolchains.
        while dir.path != "/" && !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("mpa-admission").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("mpa-admission").path
    }
}

// MARK: - rules for the end-to-end tests

let podsCreate = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")], operations: [.create])

/// Patches every pod with one annotation.
struct AnnotatePods: Defaulter {
    var name = "annotate"
    var match = podsCreate
    var delay: Duration = .zero
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        if delay > .zero { try await Task.sleep(for: delay) }
        var b = ObjectPatchBuilder(object)
        try b.setAnnotation("serve-test/annotated", "true")
        return Defaulting(change: .patch(b.operations))
    }
}

/// Denies pods named `deny-me`.
struct DenyName: Validator {
    var name = "deny-name"
    var match = podsCreate
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        guard request.name == "deny-me" || object["metadata"]?["name"]?.stringValue == "deny-me" else { return .valid }
        return Validation(violations: [Violation(field: "metadata.name", message: "Invalid value: \"deny-me\": not allowed here")])
    }
}

struct RuleFailure: Error, CustomStringConvertible { var description: String { "state unavailable" } }

/// Always throws (failure policy Ignore), so rule error counters move.
struct AlwaysThrows: Validator {
    var name = "always-throws"
    var match = podsCreate
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation { throw RuleFailure() }
}

// MARK: - a service on loopback

/// A state source the test opens by hand, to watch readiness change.
final class GatedStateSource: ClusterStateSource {
    let summary = "gated test state"
    private let reporter = Mutex<ClusterStateReporter?>(nil)

    func start(reporter: ClusterStateReporter) async throws {
        reporter.synced(false)
        self.reporter.withLock { $0 = reporter }
    }

    func open(objects: Int = 0) {
        let r = reporter.withLock { $0 }
        r?.objects(kind: "MultidimPodAutoscaler", count: objects)
        r?.synced(true)
    }

    func stop() async {}
}

/// Log lines captured in memory.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var sink: LogSink { LogSink { [self] bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } } }
    var all: [String] { lines.withLock { $0 } }
}

struct TestService {
    let service: AdmissionService
    let tlsPort: Int
    let metricsPort: Int
    let logs: LogCapture

    var base: String { "https://localhost:\(tlsPort)" }
    var metricsBase: String { "http://127.0.0.1:\(metricsPort)" }

    static func start(rules: [any AdmissionRule] = [AnnotatePods(), DenyName()],
                      tls: TLSConfiguration = Fixture.tls(),
                      state: any ClusterStateSource = StaticStateSource(summary: "test"),
                      health: HealthState = HealthState(),
                      logLevel: Logger.Level = .debug,
                      grace: Duration = .seconds(5),
                      configure: (inout ServeSettings) -> Void = { _ in }) async throws -> TestService {
        let logs = LogCapture()
        let logger = Logger(label: "serve-test") { label in
            makeLogHandler(label: label, format: .json, level: logLevel, sink: logs.sink)
        }
        let server = ServerConfiguration(bindAddress: "127.0.0.1", port: 0, tls: tls, loops: 2)
        var settings = ServeSettings(server: server, metricsAddress: ListenAddress(host: "127.0.0.1", port: 0),
                                     shutdownGrace: grace, certificatePollInterval: .milliseconds(100))
        configure(&settings)
        let engine = AdmissionEngine(rules: try RuleSet(rules))
        let metrics = WebhookMetrics(registry: PrometheusCollectorRegistry())
        let service = try AdmissionService(settings: settings, engine: engine, stateSource: state,
                                           metrics: metrics, health: health, logger: logger)
        let ports = try await service.start()
        return TestService(service: service, tlsPort: ports.tls, metricsPort: ports.metrics ?? 0, logs: logs)
    }

    func stop() async { await service.shutdown() }

    /// Runs `body`, then shuts the service down (also when `body` throws).
    func run(_ body: (TestService) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// POSTs a review file to `/mutate` or `/validate`; returns status and body.
    func admit(_ path: String, file: String) async throws -> (status: Int, body: String) {
        let r = try await curl(["-H", "content-type: application/json", "--data-binary", "@\(file)",
                                "-w", "\n%{http_code}", "\(base)\(path)?timeout=10s"])
        return splitStatus(r.stdout)
    }

    func get(_ url: String) async throws -> (status: Int, body: String) {
        let r = try await curl(["-w", "\n%{http_code}", url])
        return splitStatus(r.stdout)
    }

    /// `/metrics` parsed by the reference parser.
    func scrape() async throws -> Exposition {
        let (status, body) = try await get("\(metricsBase)/metrics")
        #expect(status == 200)
        return try Exposition.parse(body)
    }
}

func splitStatus(_ out: String) -> (status: Int, body: String) {
    guard let nl = out.lastIndex(of: "\n") else { return (Int(out) ?? 0, "") }
    return (Int(out[out.index(after: nl)...]) ?? 0, String(out[..<nl]))
}

// MARK: - the exposition as the Python reference parser reads it

struct Sample {
    var name: String
    var labels: [String: String]
    var value: Double
}

struct ExpositionError: Error, CustomStringConvertible { var description: String }

struct Exposition {
    var families: [String: String]
    var samples: [Sample]

    /// The python3 that has `prometheus_client` (the system one from the apt package, or PATH's).
    static let python: String? = {
        var candidates = ["/usr/bin/python3"]
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(dir)/python3") }
        for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: c)
            p.arguments = ["-c", "import prometheus_client"]
            p.standardError = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return c }
        }
        return nil
    }()

    static func parse(_ text: String) throws -> Exposition {
        guard let python else {
            throw ExpositionError(description: "no python3 with prometheus_client (apt-get install python3-prometheus-client)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("exposition-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Fixture.checkExposition, file.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ExpositionError(description: errText) }
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let families = json["families"] as? [String: String],
              let samples = json["samples"] as? [[String: Any]] else {
            throw ExpositionError(description: "unexpected checker output")
        }
        return Exposition(families: families, samples: samples.map {
            Sample(name: $0["name"] as? String ?? "", labels: $0["labels"] as? [String: String] ?? [:],
                   value: ($0["value"] as? NSNumber)?.doubleValue ?? .nan)
        })
    }

    /// The value of the one sample with this name and exactly these labels (0 when absent).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.first { $0.name == name && $0.labels == labels }?.value ?? 0
    }
}

// MARK: - processes

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
}

/// A child process with a hard time limit; output goes through temp files (no pipe deadlocks).
final class Child: @unchecked Sendable {
    let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let dir = FileManager.default.temporaryDirectory
        outURL = dir.appendingPathComponent("serve-child-\(UUID().uuidString).out")
        errURL = dir.appendingPathComponent("serve-child-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var stderrSoFar: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
    var stdoutSoFar: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    func wait(limit: Duration = .seconds(30)) async -> ProcessResult {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        var timedOut = false
        while process.isRunning {
            if clock.now >= end && !timedOut {
                timedOut = true
                process.terminate()
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let result = ProcessResult(status: process.terminationStatus, stdout: stdoutSoFar, stderr: stderrSoFar,
                                   timedOut: timedOut)
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return result
    }
}

func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
         limit: Duration = .seconds(30)) async throws -> ProcessResult {
    try await Child(executable, arguments, environment: environment).wait(limit: limit)
}

/// curl trusting the test CA.
func curl(_ args: [String], limit: Duration = .seconds(20)) async throws -> ProcessResult {
    try await run("/usr/bin/curl", ["-sS", "--cacert", Fixture.path("ca.pem"), "--max-time", "15"] + args, limit: limit)
}

/// A python3 script with `PORT`, `CA` and helpers for TLS clients in its prelude.
func python(_ script: String, port: Int, limit: Duration = .seconds(60)) async throws -> ProcessResult {
    let python = Exposition.python ?? "/usr/bin/python3"
    return try await run(python, ["-c", pythonPrelude(port: port) + script], limit: limit)
}

func pythonPrelude(port: Int) -> String {
    """
    import json, socket, ssl, sys, threading, time
    PORT = \(port)
    CA = \"\(Fixture.path("ca.pem"))\"
    REVIEW = open(\"\(Fixture.podCreateReview)\", "rb").read()
    def connect(cert=None, key=None):
        ctx = ssl.create_default_context(cafile=CA)
        if cert: ctx.load_cert_chain(cert, key)
        s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        return ctx.wrap_socket(s, server_hostname="localhost")
    def peer_cn(s):
        for rdn in s.getpeercert()["subject"]:
            for k, v in rdn:
                if k == "commonName": return v
        return None
    def read_response(s):
        data = b""
        while b"\\r\\n\\r\\n" not in data:
            chunk = s.recv(65536)
            if not chunk: raise EOFError("closed before response head")
            data += chunk
        head, _, body = data.partition(b"\\r\\n\\r\\n")
        lines = head.decode().split("\\r\\n")
        status = int(lines[0].split()[1])
        length = 0
        for l in lines[1:]:
            k, _, v = l.partition(":")
            if k.strip().lower() == "content-length": length = int(v.strip())
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk: raise EOFError("closed mid-body")
            body += chunk
        return status, body
    def post_review(s, path="/mutate"):
        s.sendall(b"POST " + path.encode() + b"?timeout=10s HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nContent-Length: " + str(len(REVIEW)).encode() + b"\\r\\n\\r\\n" + REVIEW)
        return read_response(s)

    """
}

/// Polls `condition` every 20 ms for up to `limit`.
func eventually(_ limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: limit)
    while clock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
