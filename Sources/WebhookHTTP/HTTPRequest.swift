/// A request as the transport hands it to handlers: HTTP/1.1 and HTTP/2 look the same here.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, e.g. `/mutate`.
    public var path: String
    /// The raw query string without `?` (empty when absent).
    public var query: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Seconds the caller still waits for an answer (`?timeout=Ns`), when it said.
    public var timeoutSeconds: Int?

    public init(method: String, path: String, query: String = "", headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], timeoutSeconds: Int? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds ?? HTTPRequest.timeout(fromQuery: query)
    }

    /// The value of one query parameter (no percent-decoding; the apiserver sends plain values).
    public func queryValue(_ name: String) -> String? {
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.first.map(String.init) == name { return kv.count > 1 ? String(kv[1]) : "" }
        }
        return nil
    }

    /// Parses `timeout=10s` (also `500ms`, `1m`) into whole seconds, rounded up; nil when absent or odd.
    static func timeout(fromQuery query: String) -> Int? {
        guard !query.isEmpty else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("timeout=") {
            let v = pair.dropFirst("timeout=".count)
            if v.hasSuffix("ms"), let ms = Int(v.dropLast(2)), ms > 0, ms < 3_600_000 { return (ms + 999) / 1000 }
            if v.hasSuffix("s"), let s = Int(v.dropLast()), s > 0, s < 3600 { return s }
            if v.hasSuffix("m"), let m = Int(v.dropLast()), m > 0, m < 60 { return m * 60 }
            return nil
        }
        return nil
    }
}
