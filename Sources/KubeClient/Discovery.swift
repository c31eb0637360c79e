import JSON

/// Maps a kind to its resource through the API discovery documents (`/api/v1`,
/// `/apis/<group>/<version>`), cached per group/version. Well-known controllers skip discovery.
public final class Discovery: Sendable {
    public struct Entry: Sendable, Equatable {
        public var resource: ResourceType
        /// Whether `<resource>/scale` is served.
        public var hasScale: Bool
    }

    let client: KubeHTTPClient
    private let cache: TTLCache<String, [String: Entry]>

    public init(client: KubeHTTPClient, ttl: Duration = .seconds(600)) {
        self.client = client
        self.cache = TTLCache(ttl: ttl, capacity: 256)
    }

    /// Discovery documents fetched so far.
    public var fetches: Int { cache.loads }

    static let scalableWellKnown: Set<String> = ["ReplicaSet", "Deployment", "StatefulSet", "ReplicationController"]

    /// The resource serving `kind` in `apiVersion`'s group, nil when the server does not serve it.
    public func resource(kind: String, apiVersion: String) async throws -> Entry? {
        let group = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? ""
        if let known = ResourceType.wellKnownControllers[kind], Self.groups(of: kind).contains(group) {
            return Entry(resource: known, hasScale: Self.scalableWellKnown.contains(kind))
        }
        guard !apiVersion.isEmpty else { return nil }
        let kinds = try await cache.value(for: apiVersion) { [client] in
            try await Self.fetch(client: client, apiVersion: apiVersion)
        }
        return kinds[kind]
    }

    private static func groups(of kind: String) -> Set<String> {
        switch kind {
        case "Deployment", "ReplicaSet", "DaemonSet": return ["apps", "extensions"]
        case "StatefulSet": return ["apps"]
        case "Job", "CronJob": return ["batch"]
        default: return [""]
        }
    }

    private static func fetch(client: KubeHTTPClient, apiVersion: String) async throws -> [String: Entry] {
        let slash = apiVersion.firstIndex(of: "/")
        let group = slash.map { String(apiVersion[..<$0]) } ?? ""
        let version = slash.map { String(apiVersion[apiVersion.index(after: $0)...]) } ?? apiVersion
        let probe = ResourceType(group: group, version: version, resource: "", kind: "", namespaced: false)
        let response = try await client.send(KubeRequest(path: probe.groupVersionPath))
        if response.status == 404 { return [:] }  // group/version not served
        let doc = try KubeHTTPClient.decode(response)
        guard let resources = doc["resources"]?.arrayValue else {
            throw KubeError.decoding("discovery \(apiVersion) has no resources")
        }
        var names: Set<String> = []
        for r in resources { if let n = r["name"]?.stringValue { names.insert(n) } }
        var out: [String: Entry] = [:]
        for r in resources {
            guard let name = r["name"]?.stringValue, !name.contains("/"),
                  let kind = r["kind"]?.stringValue, out[kind] == nil else { continue }
            let type = ResourceType(group: group, version: version, resource: name, kind: kind,
                                    namespaced: r["namespaced"]?.boolValue ?? true)
            out[kind] = Entry(resource: type, hasScale: names.contains(name + "/scale"))
        }
        return out
    }
}
