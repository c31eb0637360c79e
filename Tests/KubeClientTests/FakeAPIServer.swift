import Foundation
import JSON
import KubeClient
import Logging
import WebhookTLS

enum Fixture {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)?.path ?? "/missing/\(name)"
    }

    static func bytes(_ name: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name))))) ?? []
    }
}

/// A scratch directory removed at deinit.
final class TempDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "kubeclient-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

/// The Python fake API server (Fixtures/fake_apiserver.py) on 127.0.0.1, one per test.
/// It exits when its stdin closes, so a crashed test run leaves nothing behind.
final class FakeAPIServer: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let stdout = Pipe()
    let port: Int
    let token: String
    let control: KubeHTTPClient

    init(token: String = "secret-token") async throws {
        self.token = token
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixture.path("fake_apiserver.py"), Fixture.path("server.pem"),
                             Fixture.path("server.key"), Fixture.path("ca.pem"), token]
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The blocking pipe reads run on a thread of their own: on the two-thread cooperative
        // pool of a 2-core CI box, a slow Python start would otherwise stall every other test.
        let handle = stdout.fileHandleForReading
        let text = await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
            Thread {
                var text = ""
                let deadline = Date().addingTimeInterval(20)
                while !text.contains("\n") && Date() < deadline {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                }
                done.resume(returning: text)
            }.start()
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "),
              let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw KubeError.transport("fake API server did not start: \(text)")
        }
        self.port = port
        var c = KubeClientConfiguration(host: "127.0.0.1", port: port,
                                        tls: TLSClientConfiguration(trustedCAs: .file(Fixture.path("ca.pem"))))
        c.qps = 0
        control = try KubeHTTPClient(configuration: c)
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// A client configuration for this server (token auth, test CA, no rate limit).
    func configuration(host: String = "127.0.0.1", serverName: String? = nil) -> KubeClientConfiguration {
        var c = KubeClientConfiguration(host: host, port: port, serverName: serverName,
                                        tls: TLSClientConfiguration(trustedCAs: .file(Fixture.path("ca.pem"))),
                                        token: .literal(token))
        c.qps = 0
        c.requestTimeout = .seconds(10)
        return c
    }

    @discardableResult
    func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        let r = try await control.send(KubeRequest(method: "POST", path: path, body: JSONWriter.bytes(body)))
        guard r.status == 200 else { throw KubeError.status(code: r.status, reason: "", message: "control \(path)") }
        return try JSONParser.parse(r.body)
    }

    /// Adds/modifies/deletes an object; returns its new resourceVersion.
    @discardableResult
    func event(_ type: String, _ resource: String, _ object: JSONValue, silent: Bool = false) async throws -> String {
        let r = try await post("/_fake/object", ["resource": .string(resource), "type": .string(type),
                                                 "object": object, "silent": .bool(silent)])
        return r["resourceVersion"]?.stringValue ?? ""
    }

    func setStatic(_ path: String, _ object: JSONValue?) async throws {
        try await post("/_fake/static", ["path": .string(path), "object": object ?? .null])
    }

    func getStatic(_ path: String) async throws -> JSONValue? {
        let r = try await control.send(KubeRequest(path: "/_fake/static-get?path=" + path))
        let v = try JSONParser.parse(r.body)["object"]
        return v == .null ? nil : v
    }

    /// Requests the server answered (method, path, query), oldest first.
    func requests() async throws -> [(method: String, path: String, query: JSONObject, clientCert: Bool)] {
        let r = try await control.send(KubeRequest(path: "/_fake/requests"))
        return (try JSONParser.parse(r.body)["requests"]?.arrayValue ?? []).map {
            ($0["method"]?.stringValue ?? "", $0["path"]?.stringValue ?? "",
             $0["query"]?.objectValue ?? JSONObject(), $0["clientCert"]?.boolValue ?? false)
        }
    }

    func fault(prefix: String, status: Int, count: Int, retryAfter: Int? = nil, method: String? = nil) async throws {
        var body: JSONObject = ["prefix": .string(prefix), "status": .number(JSONNumber(status)),
                                "count": .number(JSONNumber(count))]
        if let retryAfter { body["retry_after"] = .number(JSONNumber(retryAfter)) }
        if let method { body["method"] = .string(method) }
        try await post("/_fake/fault", .object(body))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}

/// Polls `condition` until it holds or `timeout` passes (a throwing check counts as false).
func eventually(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async -> Bool {
    let end = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < end {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return (try? await condition()) == true
}

func mpa(_ name: String, namespace: String = "default", target: String = "hamster",
         kind: String = "Deployment", apiVersion: String = "apps/v1", cpu: String = "100m") -> JSONValue {
    ["apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
     "metadata": ["name": .string(name), "namespace": .string(namespace)],
     "spec": ["scaleTargetRef": ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(target)]],
     "status": ["recommendation": ["containerRecommendations": [
        ["containerName": "c", "target": ["cpu": .string(cpu), "memory": "64Mi"]]]]]]
}

func limitRange(_ name: String, namespace: String = "default") -> JSONValue {
    ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": .string(name), "namespace": .string(namespace)],
     "spec": ["limits": [["type": "Container", "max": ["cpu": "2"]]]]]
}

func namespaceObject(_ name: String, labels: JSONValue = [:]) -> JSONValue {
    ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": labels]]
}

let quietLogger: Logger = {
    var l = Logger(label: "kubeclient-tests")
    l.logLevel = .critical
    return l
}()

/// Records what LiveClusterState reports.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var _synced: [Bool] = []
    private var _objects: [String: Int] = [:]
    private var _restarts: [String: Int] = [:]

    var synced: [Bool] { lock.withLock { _synced } }
    var objects: [String: Int] { lock.withLock { _objects } }
    var restarts: [String: Int] { lock.withLock { _restarts } }

    var events: ClusterStateEvents {
        ClusterStateEvents(synced: { s in self.lock.withLock { self._synced.append(s) } },
                           objects: { k, n in self.lock.withLock { self._objects[k] = n } },
                           watchRestart: { k in self.lock.withLock { self._restarts[k, default: 0] += 1 } })
    }
}

/// Fast informer timings for tests.
func fastOptions(scope: NamespaceScope = .all) -> LiveClusterStateOptions {
    var o = LiveClusterStateOptions(scope: scope)
    o.timing.initialBackoff = .milliseconds(50)
    o.timing.maxBackoff = .milliseconds(400)
    o.timing.watchTimeoutSeconds = 30...30
    return o
}
