import Testing
import WebhookHTTP
@testable import WebhookServer

/// An event reduced to comparable parts.
enum Ev: Equatable, CustomStringConvertible {
    case req(String, String, String, String, Bool)  // method, path, query, body, keepAlive
    case cont
    case err(Int)

    var description: String {
        switch self {
        case let .req(m, p, q, b, k): return "req(\(m) \(p)?\(q) body=\(b.debugDescription) ka=\(k))"
        case .cont: return "continue"
        case let .err(s): return "error(\(s))"
        }
    }
}

private func reduce(_ e: HTTP1Event) -> Ev {
    switch e {
    case let .request(r, keepAlive):
        return .req(r.method, r.path, r.query, String(decoding: r.body, as: UTF8.self), keepAlive)
    case .sendContinue: return .cont
    case let .error(status, _): return .err(status)
    }
}

/// Feeds `chunks` one append at a time, draining events after each.
private func feed(_ chunks: [[UInt8]], limits: HTTP1Limits = .init()) -> (events: [HTTP1Event], parser: HTTP1Parser) {
    var p = HTTP1Parser(limits: limits)
    var events: [HTTP1Event] = []
    for c in chunks {
        c.withUnsafeBytes { p.append($0) }
        while let e = p.next() { events.append(e) }
    }
    return (events, p)
}

private func whole(_ s: String, limits: HTTP1Limits = .init()) -> [Ev] {
    feed([Array(s.utf8)], limits: limits).events.map(reduce)
}

private func byteAtATime(_ s: String, limits: HTTP1Limits = .init()) -> [Ev] {
    feed(Array(s.utf8).map { [$0] }, limits: limits).events.map(reduce)
}

struct ValidCase: CustomStringConvertible, Sendable {
    let name: String
    let raw: String
    let expected: [Ev]
    var description: String { name }
}

let validCases: [ValidCase] = [
    .init(name: "GET with query", raw: "GET /mutate?timeout=10s HTTP/1.1\r\nHost: x\r\n\r\n",
          expected: [.req("GET", "/mutate", "timeout=10s", "", true)]),
    .init(name: "empty query", raw: "GET /a? HTTP/1.1\r\nHost: x\r\n\r\n",
          expected: [.req("GET", "/a", "", "", true)]),
    .init(name: "POST content-length",
          raw: "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
          expected: [.req("POST", "/validate", "", "hello", true)]),
    .init(name: "content-length zero", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
          expected: [.req("POST", "/", "", "", true)]),
    .init(name: "duplicate content-length agreeing",
          raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\ncontent-length: 3\r\n\r\nabc",
          expected: [.req("POST", "/", "", "abc", true)]),
    .init(name: "HTTP/1.0 closes by default", raw: "GET / HTTP/1.0\r\n\r\n",
          expected: [.req("GET", "/", "", "", false)]),
    .init(name: "HTTP/1.0 keep-alive", raw: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
          expected: [.req("GET", "/", "", "", true)]),
    .init(name: "HTTP/1.1 connection close", raw: "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n",
          expected: [.req("GET", "/", "", "", false)]),
    .init(name: "chunked with extension and trailer",
          raw: "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5;name=\"v\"\r\nhello\r\n6 ;x\r\n world\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n",
          expected: [.req("POST", "/c", "", "hello world", true)]),
    .init(name: "chunked hex sizes",
          raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n00a\r\nabcdefghij\r\n000\r\n\r\n",
          expected: [.req("POST", "/", "", "0123456789abcdefghij", true)]),
    .init(name: "100-continue",
          raw: "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok",
          expected: [.cont, .req("POST", "/", "", "ok", true)]),
    .init(name: "100-continue chunked",
          raw: "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
          expected: [.cont, .req("POST", "/", "", "ok", true)]),
    .init(name: "100-continue without body is not answered",
          raw: "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
          expected: [.req("POST", "/", "", "", true)]),
    .init(name: "HTTP/1.0 expectation ignored",
          raw: "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
          expected: [.req("POST", "/", "", "z", false)]),
    .init(name: "pipelining",
          raw: "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
              + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\n"
              + "GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
          expected: [.req("GET", "/a", "", "", true), .req("POST", "/b", "", "xyz", true),
                     .req("POST", "/c", "", "q", true), .req("GET", "/d", "", "", false)]),
    .init(name: "leading empty lines skipped", raw: "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
          expected: [.req("GET", "/", "", "", true)]),
    .init(name: "absolute-form", raw: "GET http://host:8443/mutate?x=1 HTTP/1.1\r\nHost: host:8443\r\n\r\n",
          expected: [.req("GET", "/mutate", "x=1", "", true)]),
    .init(name: "absolute-form without path", raw: "GET https://host HTTP/1.1\r\nHost: host\r\n\r\n",
          expected: [.req("GET", "/", "", "", true)]),
    .init(name: "OPTIONS asterisk", raw: "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
          expected: [.req("OPTIONS", "*", "", "", true)]),
    .init(name: "empty header value and obs-text",
          raw: "GET / HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Obs: caf\u{e9}\t\r\n\r\n",
          expected: [.req("GET", "/", "", "", true)]),
]

struct ErrorCase: CustomStringConvertible, Sendable {
    let name: String
    let raw: String
    let status: Int
    let message: String
    var description: String { name }
}

let errorCases: [ErrorCase] = [
    .init(name: "HTTP/2.0", raw: "GET / HTTP/2.0\r\nHost: x\r\n\r\n", status: 505, message: "HTTP version not supported"),
    .init(name: "h2 preface", raw: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 505, message: "HTTP version not supported"),
    .init(name: "HTTP/0.9-like", raw: "GET /\r\n\r\n", status: 400, message: "invalid request line"),
    .init(name: "bad version", raw: "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", status: 400, message: "invalid HTTP version"),
    .init(name: "lowercase version", raw: "GET / http/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid HTTP version"),
    .init(name: "double space", raw: "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid request line"),
    .init(name: "bad method", raw: "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid request method"),
    .init(name: "relative target", raw: "GET foo HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid request target"),
    .init(name: "asterisk on GET", raw: "GET * HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid request target"),
    .init(name: "control in target", raw: "GET /a\u{7f}b HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, message: "invalid request target"),
    .init(name: "missing Host", raw: "GET / HTTP/1.1\r\n\r\n", status: 400, message: "missing Host header"),
    .init(name: "two Host", raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, message: "multiple Host headers"),
    .init(name: "obs-fold", raw: "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", status: 400, message: "obsolete line folding"),
    .init(name: "space before colon", raw: "GET / HTTP/1.1\r\nHost : x\r\n\r\n", status: 400, message: "invalid header field name"),
    .init(name: "no colon", raw: "GET / HTTP/1.1\r\nHost x\r\n\r\n", status: 400, message: "invalid header field name"),
    .init(name: "empty name", raw: "GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n", status: 400, message: "invalid header field name"),
    .init(name: "control in value", raw: "GET / HTTP/1.1\r\nHost: x\u{1}\r\n\r\n", status: 400, message: "invalid header field value"),
    .init(name: "bare CR in value", raw: "GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n", status: 400, message: "invalid header field value"),
    .init(name: "lone LF line endings", raw: "GET / HTTP/1.1\nHost: x\n\n", status: 400, message: "bare LF in request head"),
    .init(name: "lone LF ending headers", raw: "GET / HTTP/1.1\r\nHost: x\r\n\n", status: 400, message: "bare LF in request head"),
    .init(name: "CL letters", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", status: 400, message: "invalid Content-Length"),
    .init(name: "CL plus", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", status: 400, message: "invalid Content-Length"),
    .init(name: "CL negative", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", status: 400, message: "invalid Content-Length"),
    .init(name: "CL empty", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", status: 400, message: "invalid Content-Length"),
    .init(name: "CL empty list item", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1,\r\n\r\n", status: 400, message: "invalid Content-Length"),
    .init(name: "CL list disagreeing", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\n", status: 400, message: "conflicting Content-Length"),
    .init(name: "CL headers disagreeing", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 06\r\n\r\n", status: 400, message: "conflicting Content-Length"),
    .init(name: "CL overflow", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 413, message: "request body exceeds 7340032 bytes"),
    .init(name: "CL and TE", raw: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, message: "both Content-Length and Transfer-Encoding"),
    .init(name: "TE not chunked", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400, message: "chunked must be the final transfer coding, once"),
    .init(name: "TE chunked twice", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, message: "chunked must be the final transfer coding, once"),
    .init(name: "TE chunked not last", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400, message: "chunked must be the final transfer coding, once"),
    .init(name: "TE unknown coding", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501, message: "unsupported transfer coding"),
    .init(name: "TE empty", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,\r\n\r\n", status: 400, message: "invalid Transfer-Encoding"),
    .init(name: "TE on HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400, message: "Transfer-Encoding in HTTP/1.0 request"),
    .init(name: "bad chunk size", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400, message: "invalid chunk size"),
    .init(name: "chunk size junk", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", status: 400, message: "invalid chunk size"),
    .init(name: "chunk ext control", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u{1}\r\n", status: 400, message: "invalid chunk size"),
    .init(name: "chunk size overflow", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n", status: 413, message: "request body exceeds 7340032 bytes"),
    .init(name: "chunk size lone LF", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello", status: 400, message: "bare LF in chunked body"),
    .init(name: "chunk data without CRLF", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", status: 400, message: "missing CRLF after chunk data"),
    .init(name: "trailer lone LF", raw: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n", status: 400, message: "bare LF in trailers"),
    .init(name: "unknown expectation", raw: "POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", status: 417, message: "unsupported expectation"),
    .init(name: "100-continue over limit", raw: "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 7340033\r\n\r\n", status: 413, message: "request body exceeds 7340032 bytes"),
]

@Suite struct HTTP1ParserTests {
    @Test(arguments: validCases)
    func validWhole(_ c: ValidCase) {
        #expect(whole(c.raw) == c.expected)
    }

    @Test(arguments: validCases)
    func validByteAtATime(_ c: ValidCase) {
        #expect(byteAtATime(c.raw) == c.expected)
    }

    @Test(arguments: validCases)
    func validInTwoHalves(_ c: ValidCase) {
        let bytes = Array(c.raw.utf8)
        for cut in [1, bytes.count / 3, bytes.count / 2, bytes.count - 1] where cut > 0 && cut < bytes.count {
            let events = feed([Array(bytes[..<cut]), Array(bytes[cut...])]).events.map(reduce)
            #expect(events == c.expected, "cut at \(cut)")
        }
    }

    @Test(arguments: errorCases)
    func errors(_ c: ErrorCase) {
        for events in [feed([Array(c.raw.utf8)]).events, feed(Array(c.raw.utf8).map { [$0] }).events] {
            #expect(events.count == 1)
            guard case let .error(status, message)? = events.last else {
                Issue.record("expected an error, got \(events.map(reduce))")
                continue
            }
            #expect(status == c.status)
            #expect(message == c.message)
        }
    }

    @Test func headersAreLowercasedAndTrimmed() throws {
        let (events, _) = feed([Array("GET / HTTP/1.1\r\nHOST: x\r\nX-Thing: \t a b \t\r\nx-thing: c\r\n\r\n".utf8)])
        guard case let .request(r, _)? = events.first else { Issue.record("no request"); return }
        #expect(r.headers.fields.map(\.name) == ["host", "x-thing", "x-thing"])
        #expect(r.headers.values("X-Thing") == ["a b", "c"])
        #expect(r.headers["host"] == "x")
    }

    @Test func requestTimeoutComesFromQuery() {
        let (events, _) = feed([Array("POST /mutate?timeout=10s HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".utf8)])
        guard case let .request(r, _)? = events.first else { Issue.record("no request"); return }
        #expect(r.timeoutSeconds == 10)
    }

    @Test func goodRequestBeforeErrorIsDelivered() {
        let raw = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        #expect(whole(raw) == [.req("GET", "/a", "", "", true), .err(400)])
    }

    @Test func parserIsDeadAfterError() {
        var (events, p) = feed([Array("GET / HTTP/9.9\r\n\r\n".utf8)])
        #expect(events.map(reduce) == [.err(505)])
        Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8).withUnsafeBytes { p.append($0) }
        #expect(p.next() == nil)
        #expect(!p.hasPartialRequest)
    }

    @Test func partialRequestTracking() {
        var p = HTTP1Parser()
        #expect(!p.hasPartialRequest)
        Array("GET / HTTP/1.1\r\nHo".utf8).withUnsafeBytes { p.append($0) }
        #expect(p.next() == nil)
        #expect(p.hasPartialRequest)
        Array("st: x\r\n\r\n".utf8).withUnsafeBytes { p.append($0) }
        #expect(p.next().map(reduce) == .req("GET", "/", "", "", true))
        #expect(p.next() == nil)
        #expect(!p.hasPartialRequest)
        Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab".utf8).withUnsafeBytes { p.append($0) }
        #expect(p.next() == nil)
        #expect(p.hasPartialRequest)
        Array("cd".utf8).withUnsafeBytes { p.append($0) }
        #expect(p.next().map(reduce) == .req("POST", "/", "", "abcd", true))
        #expect(!p.hasPartialRequest)
    }

    // MARK: limits at the boundary

    /// A request whose head (through the final CRLFCRLF) is exactly `size` bytes.
    static func head(ofSize size: Int, extra: String = "") -> String {
        let base = "GET / HTTP/1.1\r\nHost: x\r\n\(extra)X: \r\n\r\n"
        return "GET / HTTP/1.1\r\nHost: x\r\n\(extra)X: " + String(repeating: "a", count: size - base.utf8.count) + "\r\n\r\n"
    }

    @Test(arguments: [(100, true), (101, false), (65536, true), (65537, false)])
    func headerLimit(size: Int, ok: Bool) {
        let limits = HTTP1Limits(maxHeaderBytes: size == 100 || size == 101 ? 100 : 65536)
        let raw = Self.head(ofSize: size)
        #expect(raw.utf8.count == size)
        let expected: [Ev] = ok ? [.req("GET", "/", "", "", true)] : [.err(431)]
        #expect(whole(raw, limits: limits) == expected)
        #expect(byteAtATime(raw, limits: limits) == expected)
    }

    @Test func headerLimitMessage() {
        let events = feed([Array(Self.head(ofSize: 65537).utf8)]).events
        guard case let .error(431, message)? = events.first else { Issue.record("no 431"); return }
        #expect(message == "request headers exceed 65536 bytes")
    }

    @Test func unterminatedHeadFailsAtLimitWithoutWaiting() {
        let limits = HTTP1Limits(maxHeaderBytes: 50)
        let raw = Array("GET / HTTP/1.1\r\nHost: x\r\nX: ".utf8) + Array(repeating: UInt8(0x61), count: 100)
        var p = HTTP1Parser(limits: limits)
        raw[..<49].withUnsafeBytes { p.append($0) }
        #expect(p.next() == nil)
        raw[49..<50].withUnsafeBytes { p.append($0) }
        #expect(p.next().map(reduce) == .err(431))
    }

    @Test(arguments: [(64, true), (65, false)])
    func contentLengthLimit(length: Int, ok: Bool) {
        let limits = HTTP1Limits(maxBodyBytes: 64)
        let body = String(repeating: "b", count: length)
        let raw = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n" + body
        let expected: [Ev] = ok ? [.req("POST", "/", "", body, true)] : [.err(413)]
        #expect(whole(raw, limits: limits) == expected)
        #expect(byteAtATime(raw, limits: limits) == expected)
    }

    @Test(arguments: [(64, true), (65, false)])
    func chunkedLimit(length: Int, ok: Bool) {
        let limits = HTTP1Limits(maxBodyBytes: 64)
        let first = String(repeating: "c", count: 40), second = String(repeating: "d", count: length - 40)
        let raw = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "28\r\n\(first)\r\n\(String(length - 40, radix: 16))\r\n\(second)\r\n0\r\n\r\n"
        let expected: [Ev] = ok ? [.req("POST", "/", "", first + second, true)] : [.err(413)]
        #expect(whole(raw, limits: limits) == expected)
        #expect(byteAtATime(raw, limits: limits) == expected)
    }

    @Test(arguments: [(60, true), (61, false)])
    func trailerLimit(size: Int, ok: Bool) {
        let limits = HTTP1Limits(maxHeaderBytes: 60)  // the head above is 56 bytes
        // trailer section = fields + final CRLF
        let field = "T: " + String(repeating: "t", count: size - 2 - 5) + "\r\n"
        let raw = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + field + "\r\n"
        let expected: [Ev] = ok ? [.req("POST", "/", "", "", true)] : [.err(431)]
        #expect(whole(raw, limits: limits) == expected)
        #expect(byteAtATime(raw, limits: limits) == expected)
    }

    @Test func largeBodyInManyAppends() {
        let body = Array(repeating: UInt8(0x7A), count: 300_000)
        let raw = Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n".utf8) + body
        let chunks = stride(from: 0, to: raw.count, by: 7_000).map { Array(raw[$0..<min($0 + 7_000, raw.count)]) }
        let events = feed(chunks).events
        guard case let .request(r, _)? = events.first, events.count == 1 else { Issue.record("no request"); return }
        #expect(r.body == body)
    }

    // MARK: serializer

    struct SerializerCase: Sendable, CustomStringConvertible {
        let name: String
        let response: HTTPResponse
        let keepAlive: Bool
        let expected: String
        var description: String { name }
    }

    static let serializerCases: [SerializerCase] = [
        .init(name: "json keep-alive", response: .json(200, Array("{}".utf8)), keepAlive: true,
              expected: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"),
        .init(name: "close", response: HTTPResponse(status: 404, body: Array("no".utf8)), keepAlive: false,
              expected: "HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno"),
        .init(name: "framing headers from handler dropped",
              response: HTTPResponse(status: 200, headers: ["Content-Length": "99", "Connection": "keep-alive",
                                                            "transfer-encoding": "chunked", "x-a": "1"]),
              keepAlive: true, expected: "HTTP/1.1 200 OK\r\nx-a: 1\r\ncontent-length: 0\r\n\r\n"),
        .init(name: "CRLF in header value neutralised",
              response: HTTPResponse(status: 500, headers: ["x-e": "a\r\nset-cookie: b"]), keepAlive: true,
              expected: "HTTP/1.1 500 Internal Server Error\r\nx-e: a  set-cookie: b\r\ncontent-length: 0\r\n\r\n"),
        .init(name: "204 has no content-length",
              response: HTTPResponse(status: 204, body: Array("ignored".utf8)), keepAlive: true,
              expected: "HTTP/1.1 204 No Content\r\n\r\n"),
        .init(name: "unknown status", response: HTTPResponse(status: 299), keepAlive: false,
              expected: "HTTP/1.1 299 Status 299\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
    ]

    @Test(arguments: serializerCases)
    func serializer(_ c: SerializerCase) {
        var out: [UInt8] = Array("prefix".utf8)
        HTTP1Serializer.write(c.response, keepAlive: c.keepAlive, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "prefix" + c.expected)
    }

    @Test func textBodyIsWrittenLast() {
        var out: [UInt8] = []
        HTTP1Serializer.write(.text(413, "request body exceeds 7340032 bytes"), keepAlive: false, into: &out)
        #expect(out.suffix(35) == Array("request body exceeds 7340032 bytes\n".utf8))
    }
}
