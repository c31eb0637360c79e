import WebhookHTTP
import WebhookServer

/// Any bytes as a client's stream, with small limits so the limit paths are reachable. The
/// stream fed whole and fed in pieces (cut points taken from the input) must give the same
/// events; after an error the parser says nothing more; no event exceeds the limits.
enum HTTP1ParserFuzz {
    static let limits = HTTP1Limits(maxHeaderBytes: 2048, maxBodyBytes: 4096)
    /// More events than this from one input means `next()` stopped making progress.
    static let maxEvents = 10_000

    static func run(_ data: [UInt8]) -> [String] {
        var problems: [String] = []
        let whole = events(data, cuts: [data.count], problems: &problems)
        var cuts: [Int] = []
        var at = 0
        var seed = data.first.map(Int.init) ?? 1
        while at < data.count {
            seed = (seed &* 1103515245 &+ 12345) & 0x7fff_ffff
            at += 1 + seed % 64
            cuts.append(min(at, data.count))
        }
        let pieces = events(data, cuts: cuts, problems: &problems)
        if whole != pieces {
            problems.append("split input gave other events:\n\(whole)\n\(pieces)")
        }
        let byte = events(data, cuts: Array(stride(from: 1, through: data.count, by: 1)), problems: &problems)
        if whole != byte { problems.append("byte-by-byte input gave other events:\n\(whole)\n\(byte)") }
        return problems
    }

    /// Feeds `data` up to each cut in turn, draining events after each, as a connection does.
    static func events(_ data: [UInt8], cuts: [Int], problems: inout [String]) -> [String] {
        var parser = HTTP1Parser(limits: limits)
        var out: [String] = []
        var start = 0
        var failed = false
        for cut in cuts where cut > start {
            data[start..<cut].withUnsafeBytes { parser.append($0) }
            start = cut
            while let e = parser.next() {
                if failed { problems.append("event after an error: \(describe(e))"); return out }
                if case .error = e { failed = true }
                out.append(describe(e))
                if case .request(let r, _) = e, r.body.count > limits.maxBodyBytes {
                    problems.append("body of \(r.body.count) bytes passed the limit")
                }
                if out.count > maxEvents { problems.append("next() makes no progress"); return out }
            }
        }
        return out
    }

    static func describe(_ e: HTTP1Event) -> String {
        switch e {
        case .request(let r, let keepAlive):
            let headers = r.headers.fields.map { "\($0.name): \($0.value)" }.joined(separator: "|")
            // The body by length and checksum: printing it whole made each exec several times slower.
            let sum = r.body.reduce(into: UInt32(0)) { $0 = $0 &* 31 &+ UInt32($1) }
            return "request \(r.method) \(r.path) ?\(r.query) [\(headers)] body=\(r.body.count)/\(sum) keepAlive=\(keepAlive)"
        case .sendContinue:
            return "continue"
        case .error(let status, let message):
            return "error \(status) \(message)"
        }
    }
}
