import Foundation
import JSON
import KubeClient
import Testing

@Suite(.serialized) struct WebhookRegistrarTests {
    static let mutatingPath = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/mpa-admission"
    static let validatingPath = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/mpa-admission"

    static func registrar(_ server: FakeAPIServer, caFile: String) throws -> WebhookRegistrar {
        var r = WebhookRegistration(caFile: caFile)
        r.serviceName = "svc"
        r.serviceNamespace = "webhooks"
        r.caPollInterval = .milliseconds(100)
        return WebhookRegistrar(registration: r, client: try KubeHTTPClient(configuration: server.configuration()),
                                logger: quietLogger)
    }

    static func caBundles(_ object: JSONValue?) -> [String] {
        (object?["webhooks"]?.arrayValue ?? []).compactMap { $0["clientConfig"]?["caBundle"]?.stringValue }
    }

    @Test func createsThenLeavesAloneThenUpdates() async throws {
        let server = try await FakeAPIServer()
        let dir = TempDirectory()
        let ca = String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self)
        let caFile = dir.write("ca.pem", ca)
        let registrar = try Self.registrar(server, caFile: caFile)

        #expect(try await registrar.register() == [.created, .created])
        let mutating = try await server.getStatic(Self.mutatingPath)
        let validating = try await server.getStatic(Self.validatingPath)
        let bundle = Data(ca.utf8).base64EncodedString()
        #expect(Self.caBundles(mutating) == [bundle, bundle])
        #expect(Self.caBundles(validating) == [bundle])
        #expect(mutating?["webhooks"]?[0]?["clientConfig"]?["service"]?["namespace"] == "webhooks")
        #expect(mutating?["webhooks"]?[0]?["clientConfig"]?["service"]?["name"] == "svc")
        #expect(validating?["webhooks"]?[0]?["clientConfig"]?["service"]?["path"] == "/validate")
        #expect(mutating?["webhooks"]?[0]?["rules"]?[0]?["resources"] == ["pods"])

        #expect(try await registrar.register() == [.unchanged, .unchanged])

        // A new CA (here: another PEM certificate) is written into both.
        let newCA = String(decoding: Fixture.bytes("client.pem"), as: UTF8.self)
        dir.write("ca.pem", newCA)
        #expect(try await registrar.register() == [.updated, .updated])
        let newBundle = Data(newCA.utf8).base64EncodedString()
        #expect(Self.caBundles(try await server.getStatic(Self.mutatingPath)) == [newBundle, newBundle])
        // Never deleted: only GET, POST and PUT were used.
        #expect(Set(try await server.requests().map(\.method)).isSubset(of: ["GET", "POST", "PUT"]))
    }

    @Test func updateConflictRetriedFromFreshGet() async throws {
        let server = try await FakeAPIServer()
        let dir = TempDirectory()
        // Someone else's version with a stale caBundle and extra labels we must keep.
        try await server.setStatic(Self.mutatingPath, [
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": ["name": "mpa-admission", "labels": ["owner": "someone"]], "webhooks": []])
        try await server.post("/_fake/conflict", ["path": .string(Self.mutatingPath), "count": 2])
        let registrar = try Self.registrar(server, caFile: dir.write("ca.pem", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self)))
        #expect(try await registrar.register() == [.updated, .created])
        let stored = try await server.getStatic(Self.mutatingPath)
        #expect(stored?["metadata"]?["labels"]?["owner"] == "someone")
        #expect(stored?["metadata"]?["labels"]?["app.kubernetes.io/name"] == "mpa-admission")
        #expect(Self.caBundles(stored).count == 2)
        let puts = try await server.requests().filter { $0.method == "PUT" && $0.path == Self.mutatingPath }
        let gets = try await server.requests().filter { $0.method == "GET" && $0.path == Self.mutatingPath }
        #expect(puts.count == 3)
        #expect(gets.count == 3)
    }

    @Test func createRaceRetried() async throws {
        let server = try await FakeAPIServer()
        let dir = TempDirectory()
        // The first create loses to another replica (409 AlreadyExists).
        try await server.fault(prefix: "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
                               status: 409, count: 1, method: "POST")
        let registrar = try Self.registrar(server, caFile: dir.write("ca.pem", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self)))
        #expect(try await registrar.register() == [.created, .created])
        #expect(try await server.requests().filter { $0.method == "POST" }.count == 3)
    }

    @Test func persistentConflictGivesUp() async throws {
        let server = try await FakeAPIServer()
        try await server.setStatic(Self.mutatingPath, ["metadata": ["name": "mpa-admission"], "webhooks": []])
        try await server.post("/_fake/conflict", ["path": .string(Self.mutatingPath), "count": 100])
        let dir = TempDirectory()
        let registrar = try Self.registrar(server, caFile: dir.write("ca.pem", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self)))
        await #expect(throws: KubeError.self) { try await registrar.register() }
    }

    @Test func caFileChangeIsPolled() async throws {
        let server = try await FakeAPIServer()
        let dir = TempDirectory()
        let caFile = dir.write("ca.pem", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self))
        let registrar = try Self.registrar(server, caFile: caFile)
        try await registrar.register()
        let watcher = Task { await registrar.watchCAFile() }
        let newCA = String(decoding: Fixture.bytes("server.pem"), as: UTF8.self)
        dir.write("ca.pem", newCA)
        let want = Data(newCA.utf8).base64EncodedString()
        #expect(await eventually { Self.caBundles(try await server.getStatic(Self.validatingPath)) == [want] })
        watcher.cancel()
        await watcher.value
    }

    @Test func refusesNonPEMCA() async throws {
        let server = try await FakeAPIServer()
        let dir = TempDirectory()
        let registrar = try Self.registrar(server, caFile: dir.write("ca.pem", "not a certificate"))
        await #expect(throws: KubeError.self) { try await registrar.register() }
        #expect(try await server.requests().isEmpty)
    }
}
