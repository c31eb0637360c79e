import JSON
import WebhookTLS
import YAMLValue

/// A kubeconfig file: the cluster and user of a context (the current one by default).
/// Supported: `server`, `certificate-authority(-data)`, `tls-server-name`,
/// `client-certificate(-data)`/`client-key(-data)`, `token`, `tokenFile`, context `namespace`.
/// Refused with a clear error: `insecure-skip-tls-verify: true`, `exec` and `auth-provider` users.
public enum Kubeconfig {
    public static func load(path: String, context: String? = nil) throws -> KubeClientConfiguration {
        let bytes = try FileReader.read(path)
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        return try parse(String(decoding: bytes, as: UTF8.self), directory: directory, context: context, what: path)
    }

    /// `directory` resolves relative file references, as kubectl does.
    public static func parse(_ text: String, directory: String, context: String? = nil,
                             what: String = "kubeconfig") throws -> KubeClientConfiguration {
        let doc: JSONValue
        do { doc = try YAMLValue.parse(text) } catch {
            throw KubeError.configuration("\(what) is not valid YAML: \(error)")
        }
        guard case .object = doc else { throw KubeError.configuration("\(what) is not a YAML mapping") }

        let contextName: String
        if let context, !context.isEmpty {
            contextName = context
        } else if let current = doc["current-context"]?.stringValue, !current.isEmpty {
            contextName = current
        } else {
            throw KubeError.configuration("\(what) has no current-context")
        }
        let ctx = try named(doc, list: "contexts", item: "context", name: contextName, what: what)
        guard let clusterName = ctx["cluster"]?.stringValue, !clusterName.isEmpty else {
            throw KubeError.configuration("\(what): context \(contextName) names no cluster")
        }
        let cluster = try named(doc, list: "clusters", item: "cluster", name: clusterName, what: what)
        let userName = ctx["user"]?.stringValue ?? ""
        let user: JSONValue = userName.isEmpty ? .object(JSONObject())
            : try named(doc, list: "users", item: "user", name: userName, what: what)

        guard let server = cluster["server"]?.stringValue, !server.isEmpty else {
            throw KubeError.configuration("\(what): cluster \(clusterName) has no server")
        }
        let (host, port, basePath) = try KubeClientConfiguration.parseServer(server)
        if cluster["insecure-skip-tls-verify"]?.boolValue == true {
            throw KubeError.configuration("\(what): cluster \(clusterName) sets insecure-skip-tls-verify, which this client refuses")
        }
        if user["exec"] != nil || user["auth-provider"] != nil {
            throw KubeError.configuration("\(what): user \(userName) uses exec/auth-provider credentials, which are not supported (use a token or client certificate)")
        }

        let ca = try source(cluster, file: "certificate-authority", data: "certificate-authority-data",
                            directory: directory, what: "\(what): cluster \(clusterName)")
        let cert = try source(user, file: "client-certificate", data: "client-certificate-data",
                              directory: directory, what: "\(what): user \(userName)")
        let key = try source(user, file: "client-key", data: "client-key-data",
                             directory: directory, what: "\(what): user \(userName)")
        if (cert == nil) != (key == nil) {
            throw KubeError.configuration("\(what): user \(userName) has a client certificate without its key or the other way round")
        }
        var token = TokenSource.Origin.none
        if let t = user["token"]?.stringValue, !t.isEmpty {
            token = .literal(t)
        } else if let f = user["tokenFile"]?.stringValue, !f.isEmpty {
            token = .file(resolve(f, in: directory))
        }
        let serverName = cluster["tls-server-name"]?.stringValue
        return KubeClientConfiguration(
            host: host, port: port, basePath: basePath,
            serverName: serverName?.isEmpty == false ? serverName : nil,
            tls: TLSClientConfiguration(trustedCAs: ca, certificate: cert, privateKey: key),
            token: token, namespace: ctx["namespace"]?.stringValue)
    }

    private static func named(_ doc: JSONValue, list: String, item: String, name: String, what: String) throws -> JSONValue {
        let entries = doc[list]?.arrayValue ?? []
        guard let entry = entries.first(where: { $0["name"]?.stringValue == name }) else {
            throw KubeError.configuration("\(what): no \(item) named \(name) in \(list)")
        }
        guard let body = entry[item], case .object = body else {
            throw KubeError.configuration("\(what): \(item) \(name) has no \(item) mapping")
        }
        return body
    }

    private static func source(_ obj: JSONValue, file: String, data: String, directory: String,
                               what: String) throws -> PEMSource? {
        if let d = obj[data]?.stringValue, !d.isEmpty {
            guard let bytes = Base64.decode(d), !bytes.isEmpty else {
                throw KubeError.configuration("\(what): \(data) is not valid base64")
            }
            return .bytes(bytes)
        }
        if let f = obj[file]?.stringValue, !f.isEmpty {
            let path = resolve(f, in: directory)
            _ = try FileReader.read(path)  // a missing file is a startup error, not a TLS one later
            return .file(path)
        }
        return nil
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }
}
