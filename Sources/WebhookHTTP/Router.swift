/// `(method, path) → handler`. Unknown path → 404; known path, other method → 405 with `Allow`.
public struct Router: HTTPHandler {
    private var routes: [String: [(method: String, handler: any HTTPHandler)]] = [:]

    public init() {}

    public mutating func add(_ method: String, _ path: String, _ handler: any HTTPHandler) {
        routes[path, default: []].append((method: method, handler: handler))
    }

    public mutating func add(_ method: String, _ path: String,
                             _ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        add(method, path, HandlerFunction(body))
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let candidates = routes[request.path] else {
            return .text(404, "404 page not found: no handler for \(request.path)")
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        for c in candidates where c.method == method {
            var response = await c.handler.handle(request)
            if request.method == "HEAD" { response.body = [] }
            return response
        }
        var response = HTTPResponse.text(405, "method \(request.method) not allowed for \(request.path)")
        response.headers.add(name: "allow", value: candidates.map(\.method).joined(separator: ", "))
        return response
    }
}
