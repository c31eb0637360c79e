import WebhookTLS

/// Any bytes after the client preface, as an HTTP/2 connection's incoming stream, fed in pieces
/// (cut points from the input) with every request answered and output drained in between, as
/// the server does. Must not trap; after a connection error the session reports nothing more
/// and produces no more events.
enum HTTP2SessionFuzz {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static func run(_ data: [UInt8]) -> [String] {
        let settings = HTTP2Session.Settings(maxConcurrentStreams: 8, maxBodyBytes: 4096, maxHeaderListBytes: 2048)
        guard let session = try? HTTP2Session(settings: settings) else { return ["session init failed"] }
        let input = preface + data
        var problems: [String] = []
        var output: [UInt8] = []
        session.drainOutput(into: &output)
        var start = 0
        var seed = data.first.map(Int.init) ?? 1
        var dead = false
        while start < input.count {
            seed = (seed &* 1103515245 &+ 12345) & 0x7fff_ffff
            let end = min(input.count, start + 1 + seed % 512)
            let events = input[start..<end].withUnsafeBytes { session.receive($0) }
            start = end
            if dead && !events.isEmpty { problems.append("events after a connection error") }
            for event in events {
                switch event {
                case .request(let id, _, _, _, _, let body):
                    if body.count > settings.maxBodyBytes { problems.append("body of \(body.count) bytes passed the limit") }
                    session.submitResponse(streamID: id, status: 200, headers: [("content-type", "application/json")],
                                           body: Array("{\"ok\":true}".utf8))
                case .streamError(let id, let status, _):
                    session.submitResponse(streamID: id, status: status, headers: [], body: Array("no".utf8))
                case .connectionError:
                    dead = true
                }
            }
            output.removeAll(keepingCapacity: true)
            session.drainOutput(into: &output)
            if dead { session.goAway() }
        }
        if dead && session.isAlive { problems.append("alive after a connection error") }
        return problems
    }
}
