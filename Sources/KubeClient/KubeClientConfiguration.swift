import Glibc
import WebhookTLS

/// Where the API server is and how to authenticate to it.
public struct KubeClientConfiguration: Sendable {
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// Prefix of every API path when the server URL has one (rare; proxies).
    public var basePath: String
    /// Name checked in the server certificate instead of `host` (kubeconfig `tls-server-name`).
    public var serverName: String?
    public var tls: TLSClientConfiguration
    public var token: TokenSource.Origin
    public var connectTimeout: Duration = .seconds(10)
    public var requestTimeout: Duration = .seconds(30)
    /// `--kube-api-qps` / `--kube-api-burst`; qps <= 0 disables the client-side limit.
    public var qps: Double = 20
    public var burst: Int = 30
    /// Largest non-streamed response body accepted.
    public var maxBodyBytes: Int = 64 << 20
    /// The namespace the kubeconfig context names (or the in-cluster pod's namespace), if any.
    public var namespace: String?

    public init(host: String, port: Int, basePath: String = "", serverName: String? = nil,
                tls: TLSClientConfiguration, token: TokenSource.Origin = .none, namespace: String? = nil) {
        self.host = host
        self.port = port
        self.basePath = basePath
        self.serverName = serverName
        self.tls = tls
        self.token = token
        self.namespace = namespace
    }

    /// The `Host` header value.
    var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? h : "\(h):\(port)"
    }

    /// Parses `https://host[:port][/prefix]`; plain http is refused (the API carries tokens).
    public static func parseServer(_ url: String) throws -> (host: String, port: Int, basePath: String) {
        let prefix = "https://"
        guard url.lowercased().hasPrefix(prefix) else {
            throw KubeError.configuration("server \(url) must be an https:// URL")
        }
        var rest = Substring(url.dropFirst(prefix.count))
        var basePath = ""
        if let slash = rest.firstIndex(of: "/") {
            basePath = String(rest[slash...])
            rest = rest[..<slash]
            while basePath.hasSuffix("/") { basePath.removeLast() }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw KubeError.configuration("server \(url): unclosed [") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw KubeError.configuration("server \(url): junk after ]")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw KubeError.configuration("server \(url) has no host") }
        var port = 443
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw KubeError.configuration("server \(url) has a bad port")
            }
            port = p
        }
        return (String(host), port, basePath)
    }
}

/// In-cluster configuration: the service account mounted into every pod.
public enum InClusterConfiguration {
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// From `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT` and the token, CA and namespace
    /// files in `directory`. `environment` defaults to the process environment.
    public static func load(environment: [String: String]? = nil,
                            directory: String = serviceAccountDirectory) throws -> KubeClientConfiguration {
        let lookup: (String) -> String? = { name in
            if let environment { return environment[name] }
            return ProcessEnvironment.value(name)
        }
        guard let host = lookup("KUBERNETES_SERVICE_HOST"), !host.isEmpty,
              let portText = lookup("KUBERNETES_SERVICE_PORT"), !portText.isEmpty else {
            throw KubeError.configuration("not running in a cluster: KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set (use --kubeconfig)")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw KubeError.configuration("KUBERNETES_SERVICE_PORT \(portText) is not a port")
        }
        let tokenFile = directory + "/token"
        let caFile = directory + "/ca.crt"
        // Fail at startup, not at the first request, when the mount is missing.
        _ = try FileReader.read(tokenFile, limit: 1 << 20)
        _ = try FileReader.read(caFile)
        var namespace: String?
        if let ns = try? FileReader.read(directory + "/namespace", limit: 4096) {
            let text = String(decoding: ns, as: UTF8.self).trimmed(of: " \r\n\t")
            namespace = text.isEmpty ? nil : text
        }
        return KubeClientConfiguration(host: host, port: port,
                                       tls: TLSClientConfiguration(trustedCAs: .file(caFile)),
                                       token: .file(tokenFile), namespace: namespace)
    }
}

/// Environment variable look-up (getenv), replaceable in tests.
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
