import Foundation
import KubeClient
import Testing
import WebhookTLS

@Suite struct KubeconfigTests {
    static func kubeconfig(cluster: String, user: String, current: String = "ctx",
                           contextExtra: String = "") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: \(current)
        clusters:
        - name: c1
          cluster:
        \(cluster)
        contexts:
        - name: ctx
          context:
            cluster: c1
            user: u1
        \(contextExtra)
        - name: other
          context:
            cluster: c1
            user: u2
            namespace: team-b
        users:
        - name: u1
          user:
        \(user)
        - name: u2
          user:
            token: other-token
        """
    }

    static let caData = Data(Fixture.bytes("ca.pem")).base64EncodedString()

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var cluster: String
        var user: String
        var context: String? = nil
        var host = "127.0.0.1"
        var port = 6443
        var basePath = ""
        var serverName: String? = nil
        var token: TokenSource.Origin = .none
        var hasClientCert = false
        var namespace: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "token + CA data", cluster: "    server: https://127.0.0.1:6443\n    certificate-authority-data: \(caData)",
             user: "    token: abc", token: .literal("abc")),
        Case(name: "CA file relative + tokenFile", cluster: "    server: https://api.example:443/prefix/\n    certificate-authority: ca.pem",
             user: "    tokenFile: tok", host: "api.example", port: 443, basePath: "/prefix", token: .file("DIR/tok")),
        Case(name: "client cert files", cluster: "    server: https://127.0.0.1:6443\n    certificate-authority: ca.pem",
             user: "    client-certificate: client.pem\n    client-key: client.key", hasClientCert: true),
        Case(name: "client cert data + tls-server-name", cluster: "    server: https://[::1]:6443\n    certificate-authority-data: \(caData)\n    tls-server-name: localhost",
             user: "    client-certificate-data: \(Data(Fixture.bytes("client.pem")).base64EncodedString())\n    client-key-data: \(Data(Fixture.bytes("client.key")).base64EncodedString())",
             host: "::1", serverName: "localhost", hasClientCert: true),
        Case(name: "explicit context with namespace", cluster: "    server: https://127.0.0.1:6443", user: "    token: abc",
             context: "other", token: .literal("other-token"), namespace: "team-b"),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let dir = TempDirectory()
        dir.write("ca.pem", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self))
        dir.write("client.pem", String(decoding: Fixture.bytes("client.pem"), as: UTF8.self))
        dir.write("client.key", String(decoding: Fixture.bytes("client.key"), as: UTF8.self))
        dir.write("tok", "file-token\n")
        let path = dir.write("config", Self.kubeconfig(cluster: c.cluster, user: c.user))
        let config = try Kubeconfig.load(path: path, context: c.context)
        #expect(config.host == c.host)
        #expect(config.port == c.port)
        #expect(config.basePath == c.basePath)
        #expect(config.serverName == c.serverName)
        #expect(config.namespace == c.namespace)
        if case .file(let p) = c.token {
            #expect(config.token == .file(p.replacingOccurrences(of: "DIR", with: dir.path)))
        } else {
            #expect(config.token == c.token)
        }
        #expect((config.tls.certificate != nil) == c.hasClientCert)
        #expect((config.tls.privateKey != nil) == c.hasClientCert)
        // The TLS material must be usable, not just present.
        _ = try TLSClientContext(configuration: config.tls)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var cluster: String
        var user: String
        var current = "ctx"
        var expect: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "plain http", cluster: "    server: http://127.0.0.1:8080", user: "    token: a", expect: "https://"),
        Bad(name: "no server", cluster: "    certificate-authority-data: \(caData)", user: "    token: a", expect: "has no server"),
        Bad(name: "missing context", cluster: "    server: https://a:1", user: "    token: a", current: "nope", expect: "no context named nope"),
        Bad(name: "insecure", cluster: "    server: https://a:1\n    insecure-skip-tls-verify: true", user: "    token: a", expect: "insecure-skip-tls-verify"),
        Bad(name: "exec user", cluster: "    server: https://a:1", user: "    exec:\n      command: aws", expect: "exec/auth-provider"),
        Bad(name: "cert without key", cluster: "    server: https://a:1", user: "    client-certificate-data: \(caData)", expect: "without its key"),
        Bad(name: "bad base64", cluster: "    server: https://a:1\n    certificate-authority-data: '!!notbase64'", user: "    token: a", expect: "not valid base64"),
        Bad(name: "missing CA file", cluster: "    server: https://a:1\n    certificate-authority: /nonexistent/ca.pem", user: "    token: a", expect: "/nonexistent/ca.pem"),
        Bad(name: "bad port", cluster: "    server: https://a:99999", user: "    token: a", expect: "bad port"),
    ]

    @Test(arguments: bad)
    func refuses(_ b: Bad) throws {
        let text = Self.kubeconfig(cluster: b.cluster, user: b.user, current: b.current)
        do {
            _ = try Kubeconfig.parse(text, directory: "/tmp")
            Issue.record("expected an error containing \(b.expect)")
        } catch let error as KubeError {
            #expect(error.description.contains(b.expect), "\(error)")
        }
    }

    @Test func notYAML() {
        #expect(throws: KubeError.self) { try Kubeconfig.parse("clusters: [unclosed", directory: "/tmp") }
    }

    @Test func inCluster() throws {
        let dir = TempDirectory()
        dir.write("token", "sa-token\n")
        dir.write("ca.crt", String(decoding: Fixture.bytes("ca.pem"), as: UTF8.self))
        dir.write("namespace", "kube-system")
        let c = try InClusterConfiguration.load(
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], directory: dir.path)
        #expect(c.host == "10.0.0.1")
        #expect(c.port == 443)
        #expect(c.token == .file(dir.path + "/token"))
        #expect(c.tls.trustedCAs == .file(dir.path + "/ca.crt"))
        #expect(c.namespace == "kube-system")

        #expect(throws: KubeError.self) { try InClusterConfiguration.load(environment: [:], directory: dir.path) }
        #expect(throws: KubeError.self) {
            try InClusterConfiguration.load(environment: ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "x"],
                                            directory: dir.path)
        }
        #expect(throws: KubeError.self) {
            try InClusterConfiguration.load(environment: ["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "443"],
                                            directory: dir.path + "/missing")
        }
    }
}
