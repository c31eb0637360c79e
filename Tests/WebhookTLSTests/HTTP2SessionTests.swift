import CNghttp2
import Testing
@testable import WebhookTLS

/// A real nghttp2 client session in memory, the peer of the server session under test.
final class H2Client {
    struct Response {
        var status = 0
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        var closed = false
        var closeError: UInt32 = 0
    }

    var session: OpaquePointer?
    var responses: [Int32: Response] = [:]
    var requestBodies: [Int32: (bytes: [UInt8], offset: Int, chunk: Int)] = [:]
    var goAway: (lastStreamID: Int32, error: UInt32)?
    var rstReceived: [Int32: UInt32] = [:]
    /// Streams whose last body byte is withheld (the request never ends).
    var holdLastByte: Set<Int32> = []

    init() {
        var cbs: OpaquePointer?
        nghttp2_session_callbacks_new(&cbs)
        nghttp2_session_callbacks_set_on_header_callback(cbs, clientOnHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, clientOnData)
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, clientOnFrame)
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, clientOnClose)
        nghttp2_session_client_new(&session, cbs, Unmanaged.passUnretained(self).toOpaque())
        nghttp2_session_callbacks_del(cbs)
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0)
    }

    deinit { nghttp2_session_del(session) }

    /// Submits a request; a body goes out in DATA frames of at most `chunk` bytes.
    @discardableResult
    func request(_ method: String, _ path: String, headers: [(String, String)] = [],
                 body: [UInt8]? = nil, chunk: Int = 16384) -> Int32 {
        let fields = [(":method", method), (":scheme", "https"), (":path", path), (":authority", "webhook.test")]
            + headers
        let id: Int32 = withNV(fields) { nva in
            if body != nil {
                var provider = nghttp2_data_provider()
                provider.read_callback = clientReadBody
                return nghttp2_submit_request(session, nil, &nva, nva.count, &provider, nil)
            }
            return nghttp2_submit_request(session, nil, &nva, nva.count, nil, nil)
        }
        if let b = body { requestBodies[id] = (b, 0, chunk) }
        responses[id] = Response()
        return id
    }

    func reset(_ id: Int32) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_CANCEL.rawValue)
    }

    func send() -> [UInt8] {
        var out: [UInt8] = []
        while true {
            var p: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &p)
            guard n > 0, let p else { return out }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    func receive(_ bytes: [UInt8]) {
        let rv = bytes.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, $0.count) }
        #expect(rv == bytes.count, "client mem_recv: \(rv)")
    }

    func remoteSetting(_ id: nghttp2_settings_id) -> UInt32 {
        nghttp2_session_get_remote_settings(session, id)
    }
}

private func client(_ p: UnsafeMutableRawPointer?) -> H2Client {
    Unmanaged<H2Client>.fromOpaque(p!).takeUnretainedValue()
}

private func clientOnHeader(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                            _ name: UnsafePointer<UInt8>?, _ namelen: Int,
                            _ value: UnsafePointer<UInt8>?, _ valuelen: Int,
                            _ flags: UInt8, _ user: UnsafeMutableRawPointer?) -> Int32 {
    let c = client(user)
    let id = frame!.pointee.hd.stream_id
    let n = String(decoding: UnsafeBufferPointer(start: name, count: namelen), as: UTF8.self)
    let v = String(decoding: UnsafeBufferPointer(start: value, count: valuelen), as: UTF8.self)
    if n == ":status" { c.responses[id, default: .init()].status = Int(v) ?? -1 }
    else { c.responses[id, default: .init()].headers.append((n, v)) }
    return 0
}

private func clientOnData(_ s: OpaquePointer?, _ flags: UInt8, _ id: Int32, _ data: UnsafePointer<UInt8>?,
                          _ len: Int, _ user: UnsafeMutableRawPointer?) -> Int32 {
    client(user).responses[id, default: .init()].body.append(contentsOf: UnsafeBufferPointer(start: data, count: len))
    return 0
}

private func clientOnFrame(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                           _ user: UnsafeMutableRawPointer?) -> Int32 {
    let c = client(user), f = frame!.pointee
    if f.hd.type == UInt8(NGHTTP2_GOAWAY.rawValue) {
        c.goAway = (f.goaway.last_stream_id, f.goaway.error_code)
    } else if f.hd.type == UInt8(NGHTTP2_RST_STREAM.rawValue) {
        c.rstReceived[f.hd.stream_id] = f.rst_stream.error_code
    }
    return 0
}

private func clientOnClose(_ s: OpaquePointer?, _ id: Int32, _ error: UInt32, _ user: UnsafeMutableRawPointer?) -> Int32 {
    let c = client(user)
    c.responses[id, default: .init()].closed = true
    c.responses[id, default: .init()].closeError = error
    return 0
}

private func clientReadBody(_ s: OpaquePointer?, _ id: Int32, _ buf: UnsafeMutablePointer<UInt8>?, _ length: Int,
                            _ flags: UnsafeMutablePointer<UInt32>?, _ source: UnsafeMutablePointer<nghttp2_data_source>?,
                            _ user: UnsafeMutableRawPointer?) -> Int {
    let c = client(user)
    guard var b = c.requestBodies[id] else {
        flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        return 0
    }
    if c.holdLastByte.contains(id) && b.bytes.count - b.offset == 1 { return Int(NGHTTP2_ERR_DEFERRED.rawValue) }
    let n = min(length, b.chunk, b.bytes.count - b.offset - (c.holdLastByte.contains(id) ? 1 : 0))
    for i in 0..<n { buf![i] = b.bytes[b.offset + i] }
    b.offset += n
    c.requestBodies[id] = b
    if b.offset == b.bytes.count { flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
    return n
}

/// Moves bytes both ways until neither side has anything to say; returns the server's events.
@discardableResult
func pump(_ c: H2Client, _ server: HTTP2Session, dataFramesSeen: UnsafeMutablePointer<Int>? = nil) -> [HTTP2Session.Event] {
    var events: [HTTP2Session.Event] = []
    for _ in 0..<10_000 {
        let toServer = c.send()
        if !toServer.isEmpty {
            dataFramesSeen?.pointee += countFrames(toServer, type: 0)
            events += toServer.withUnsafeBytes { server.receive($0) }
        }
        var toClient: [UInt8] = []
        server.drainOutput(into: &toClient)
        if !toClient.isEmpty { c.receive(toClient) }
        if toServer.isEmpty && toClient.isEmpty { break }
    }
    return events
}

/// Counts frames of one type in a byte run that starts at a frame boundary (after the preface).
func countFrames(_ bytes: [UInt8], type: UInt8) -> Int {
    frames(bytes).filter { $0.type == type }.count
}

func frames(_ bytes: [UInt8]) -> [(type: UInt8, flags: UInt8, stream: Int32, payload: ArraySlice<UInt8>)] {
    var i = 0
    let magic = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    if bytes.starts(with: magic) { i = magic.count }
    var out: [(type: UInt8, flags: UInt8, stream: Int32, payload: ArraySlice<UInt8>)] = []
    while i + 9 <= bytes.count {
        let len = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
        let stream = Int32(bitPattern: UInt32(bytes[i + 5] & 0x7F) << 24 | UInt32(bytes[i + 6]) << 16
                           | UInt32(bytes[i + 7]) << 8 | UInt32(bytes[i + 8]))
        guard i + 9 + len <= bytes.count else { break }
        out.append((bytes[i + 3], bytes[i + 4], stream, bytes[(i + 9)..<(i + 9 + len)]))
        i += 9 + len
    }
    return out
}

func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
    [UInt8(payload.count >> 16 & 0xFF), UInt8(payload.count >> 8 & 0xFF), UInt8(payload.count & 0xFF), type, flags,
     UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
}

let clientPreface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + frame(type: 4)

/// An HPACK-encoded header block (nghttp2's deflater), for hand-made HEADERS frames.
func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
    var deflater: OpaquePointer?
    nghttp2_hd_deflate_new(&deflater, 4096)
    defer { nghttp2_hd_deflate_del(deflater) }
    var out = [UInt8](repeating: 0, count: 4096)
    let n = withNV(fields) { nva in
        out.withUnsafeMutableBufferPointer { nghttp2_hd_deflate_hd(deflater, $0.baseAddress, $0.count, &nva, nva.count) }
    }
    return Array(out.prefix(max(0, n)))
}

/// nghttp2_nv entries pointing into one buffer that lives for the duration of `body`.
func withNV<R>(_ fields: [(String, String)], _ body: (inout [nghttp2_nv]) -> R) -> R {
    var bytes: [UInt8] = []
    var ranges: [(Int, Int, Int, Int)] = []
    for (name, value) in fields {
        let n = bytes.count
        bytes += Array(name.utf8)
        let v = bytes.count
        bytes += Array(value.utf8)
        ranges.append((n, v - n, v, bytes.count - v))
    }
    return bytes.withUnsafeMutableBufferPointer { buf in
        var nva = ranges.map {
            nghttp2_nv(name: buf.baseAddress! + $0.0, value: buf.baseAddress! + $0.2, namelen: $0.1, valuelen: $0.3, flags: 0)
        }
        return body(&nva)
    }
}

private func requests(_ events: [HTTP2Session.Event]) -> [(id: Int32, method: String, path: String, authority: String,
                                                           headers: [(name: String, value: String)], body: [UInt8])] {
    events.compactMap {
        if case let .request(id, m, p, a, h, b) = $0 { return (id, m, p, a, h, b) }
        return nil
    }
}

private func streamErrors(_ events: [HTTP2Session.Event]) -> [(Int32, Int)] {
    events.compactMap {
        if case let .streamError(id, status, _) = $0 { return (id, status) }
        return nil
    }
}

private func connectionErrors(_ events: [HTTP2Session.Event]) -> [String] {
    events.compactMap {
        if case let .connectionError(m) = $0 { return m }
        return nil
    }
}

@Suite struct HTTP2SessionTests {
    @Test func getRoundTrip() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        let id = c.request("GET", "/healthz?verbose=1", headers: [("X-Trace", "abc"), ("accept", "*/*")])
        let reqs = requests(pump(c, server))
        #expect(reqs.count == 1)
        let r = try #require(reqs.first)
        #expect(r.id == id)
        #expect(r.method == "GET")
        #expect(r.path == "/healthz?verbose=1")
        #expect(r.authority == "webhook.test")
        #expect(r.headers.map(\.name) == ["x-trace", "accept"])
        #expect(r.headers.first?.value == "abc")
        #expect(r.body.isEmpty)

        server.submitResponse(streamID: id, status: 200,
                              headers: [(name: "Content-Type", value: "text/plain"),
                                        (name: "connection", value: "close"),
                                        (name: "x-bad", value: "a\r\nb")],
                              body: Array("ok\n".utf8))
        pump(c, server)
        let resp = try #require(c.responses[id])
        #expect(resp.status == 200)
        #expect(resp.body == Array("ok\n".utf8))
        #expect(resp.headers.map(\.0) == ["content-type", "x-bad", "content-length"])
        #expect(resp.headers.last?.1 == "3")
        #expect(resp.headers[1].1 == "a  b")
        #expect(resp.closed && resp.closeError == 0)
        #expect(server.isAlive)
    }

    @Test func postBodySplitAcrossDataFrames() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        let body = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let id = c.request("POST", "/mutate?timeout=10s", headers: [("content-type", "application/json")],
                           body: body, chunk: 1000)
        var dataFrames = 0
        let events = pump(c, server, dataFramesSeen: &dataFrames)
        #expect(dataFrames >= 40)
        let r = try #require(requests(events).first)
        #expect(r.id == id && r.method == "POST" && r.path == "/mutate?timeout=10s")
        #expect(r.body == body)

        // A response larger than the peer's 64 KiB window goes out as flow control allows.
        let big = [UInt8](repeating: 0x41, count: 200_000)
        server.submitResponse(streamID: id, status: 200, headers: [], body: big)
        pump(c, server)
        #expect(c.responses[id]?.body == big)
        #expect(c.responses[id]?.headers.first { $0.0 == "content-length" }?.1 == "200000")
    }

    @Test func concurrentStreams() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        let ids = (0..<10).map { i in
            c.request("POST", "/s/\(i)", body: Array("body-\(i)".utf8), chunk: 3)
        }
        let reqs = requests(pump(c, server))
        #expect(Set(reqs.map(\.id)) == Set(ids))
        for r in reqs { #expect(r.body == Array("body-\(r.path.dropFirst(3))".utf8)) }
        // Answer out of order.
        for r in reqs.reversed() {
            server.submitResponse(streamID: r.id, status: 201, headers: [], body: Array("re:\(r.path)".utf8))
        }
        pump(c, server)
        for (i, id) in ids.enumerated() {
            #expect(c.responses[id]?.status == 201)
            #expect(c.responses[id]?.body == Array("re:/s/\(i)".utf8))
        }
    }

    @Test func settingsAdvertised() throws {
        let server = try HTTP2Session(settings: .init(maxHeaderListBytes: 32768))
        let c = H2Client()
        pump(c, server)
        #expect(c.remoteSetting(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) == 100)
        #expect(c.remoteSetting(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE) == 32768)
    }

    @Test func streamsBeyondAdvertisedLimitAreRefused() throws {
        let server = try HTTP2Session()
        var input = clientPreface
        // 101 open streams (HEADERS without END_STREAM), before our SETTINGS is even acknowledged.
        for i in 0..<101 {
            let block = headerBlock([(":method", "POST"), (":scheme", "https"), (":path", "/"), (":authority", "x")])
            input += frame(type: 1, flags: 0x4, stream: UInt32(2 * i + 1), payload: block)
        }
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(events.isEmpty)
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let rst = frames(out).filter { $0.type == 3 }
        #expect(rst.map(\.stream) == [201])
        #expect(rst.first.map { Array($0.payload) } == [0, 0, 0, 7])  // REFUSED_STREAM
        #expect(server.isAlive)
    }

    @Test(arguments: [false, true])
    func bodyOverLimit(declareLength: Bool) throws {
        let server = try HTTP2Session(settings: .init(maxBodyBytes: 1000))
        let c = H2Client()
        let headers = declareLength ? [("content-length", "5000")] : []
        let id = c.request("POST", "/mutate", headers: headers, body: [UInt8](repeating: 1, count: 5000), chunk: 700)
        let events = pump(c, server)
        #expect(requests(events).isEmpty)
        let errs = streamErrors(events)
        #expect(errs.count == 1)
        #expect(errs.first?.0 == id && errs.first?.1 == 413)
        server.submitResponse(streamID: id, status: 413, headers: [], body: Array("too large\n".utf8))
        pump(c, server)
        #expect(c.responses[id]?.status == 413)
        #expect(c.responses[id]?.body == Array("too large\n".utf8))
        #expect(c.responses[id]?.closed == true)
        #expect(server.isAlive)
    }

    @Test func earlyAnswerResetsPeerStillSending() throws {
        let server = try HTTP2Session(settings: .init(maxBodyBytes: 1000))
        let c = H2Client()
        let id = c.request("POST", "/mutate", body: [UInt8](repeating: 1, count: 200_000))
        // One flight only: the client is stopped by flow control before its body is complete.
        let events = c.send().withUnsafeBytes { server.receive($0) }
        #expect(streamErrors(events).map(\.1) == [413])
        server.submitResponse(streamID: id, status: 413, headers: [], body: Array("no".utf8))
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        c.receive(out)
        #expect(c.responses[id]?.status == 413)
        #expect(c.rstReceived[id] == NGHTTP2_NO_ERROR.rawValue)
        #expect(c.responses[id]?.closed == true)
        pump(c, server)
        #expect(server.isAlive)
    }

    @Test func connectionWideBodyBudget() throws {
        // 4 × maxBodyBytes may be in flight; a fifth body that would exceed it gets 503.
        let server = try HTTP2Session(settings: .init(maxBodyBytes: 10_000))
        let c = H2Client()
        pump(c, server)
        let ids = (0..<5).map { _ in c.request("POST", "/", body: [UInt8](repeating: 3, count: 9_000)) }
        // Bodies stop one byte short of the end: none completes, all stay buffered.
        for id in ids { c.holdLastByte.insert(id) }
        let events = pump(c, server)
        #expect(streamErrors(events).map(\.1) == [503])
        #expect(requests(events).count == 0)
    }

    @Test func bodyAtLimitIsAccepted() throws {
        let server = try HTTP2Session(settings: .init(maxBodyBytes: 1000))
        let c = H2Client()
        c.request("POST", "/mutate", body: [UInt8](repeating: 2, count: 1000), chunk: 300)
        let events = pump(c, server)
        #expect(streamErrors(events).isEmpty)
        #expect(requests(events).first?.body.count == 1000)
    }

    @Test func headerListOverLimit() throws {
        let server = try HTTP2Session(settings: .init(maxHeaderListBytes: 300))
        let c = H2Client()
        let id = c.request("GET", "/", headers: [("x-big", String(repeating: "v", count: 400))])
        let events = pump(c, server)
        #expect(requests(events).isEmpty)
        #expect(streamErrors(events).map(\.1) == [431])
        server.submitResponse(streamID: id, status: 431, headers: [], body: [])
        pump(c, server)
        #expect(c.responses[id]?.status == 431)
    }

    @Test func rapidResetBurstGetsGoAway() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        pump(c, server)
        var events: [HTTP2Session.Event] = []
        for _ in 0..<400 {
            let id = c.request("GET", "/")
            events += c.send().withUnsafeBytes { server.receive($0) }
            c.reset(id)
            events += c.send().withUnsafeBytes { server.receive($0) }
            if !connectionErrors(events).isEmpty { break }
        }
        #expect(connectionErrors(events) == ["HTTP/2: too many stream resets (rapid reset)"])
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        c.receive(out)
        #expect(c.goAway?.error == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(!server.isAlive)
        // Afterwards the session ignores input.
        #expect(Array("more".utf8).withUnsafeBytes { server.receive($0) }.isEmpty)
    }

    @Test func fewResetsAreTolerated() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        pump(c, server)
        var events: [HTTP2Session.Event] = []
        for _ in 0..<50 {
            let id = c.request("GET", "/")
            events += c.send().withUnsafeBytes { server.receive($0) }
            c.reset(id)
            events += c.send().withUnsafeBytes { server.receive($0) }
        }
        #expect(connectionErrors(events).isEmpty)
        #expect(server.isAlive)
    }

    @Test func gracefulGoAway() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        let id = c.request("GET", "/a")
        pump(c, server)
        server.goAway()
        pump(c, server)
        #expect(c.goAway?.error == NGHTTP2_NO_ERROR.rawValue)
        #expect(c.goAway?.lastStreamID == id)
        // The stream in flight still gets its answer.
        server.submitResponse(streamID: id, status: 200, headers: [], body: [])
        pump(c, server)
        #expect(c.responses[id]?.status == 200)
        #expect(!server.isAlive)
    }

    @Test(arguments: ["GET / HTTP/1.1\r\nHost: x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"])
    func garbagePreface(_ text: String) throws {
        let server = try HTTP2Session()
        let events = Array(text.utf8).withUnsafeBytes { server.receive($0) }
        #expect(connectionErrors(events).count == 1)
        #expect(!server.isAlive)
    }

    @Test func missingPathIsResetByNghttp2() throws {
        let server = try HTTP2Session()
        let block = headerBlock([(":method", "GET"), (":scheme", "https"), (":authority", "x")])
        let input = clientPreface + frame(type: 1, flags: 0x5, stream: 1, payload: block)
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(requests(events).isEmpty)
        #expect(connectionErrors(events).isEmpty)
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let rst = frames(out).filter { $0.type == 3 }
        #expect(rst.map(\.stream) == [1])
        #expect(rst.first.map { Array($0.payload) } == [0, 0, 0, 1])  // PROTOCOL_ERROR
    }

    @Test func connectWithoutPathIsStreamError() throws {
        let server = try HTTP2Session()
        let block = headerBlock([(":method", "CONNECT"), (":authority", "x:443")])
        let input = clientPreface + frame(type: 1, flags: 0x4, stream: 1, payload: block)
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(requests(events).isEmpty)
        #expect(streamErrors(events).map(\.1) == [400])
    }

    @Test(arguments: [(UInt8(4), [UInt8]()), (UInt8(6), [UInt8](repeating: 0, count: 8))])
    func controlFrameFlood(type: UInt8, payload: [UInt8]) throws {
        let server = try HTTP2Session()
        var input = clientPreface
        for _ in 0..<2000 { input += frame(type: type, payload: payload) }
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(connectionErrors(events).count == 1)
    }

    @Test func tooManySettingsEntries() throws {
        let server = try HTTP2Session()
        var payload: [UInt8] = []
        for _ in 0..<40 { payload += [0, 3, 0, 0, 0, 10] }  // MAX_CONCURRENT_STREAMS repeated
        let input = clientPreface + frame(type: 4, payload: payload)
        _ = input.withUnsafeBytes { server.receive($0) }
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let goaway = frames(out).filter { $0.type == 7 }
        #expect(goaway.count == 1)
        // last-stream-id, then the error code: ENHANCE_YOUR_CALM
        #expect(goaway.first.map { Array($0.payload.dropFirst(4).prefix(4)) } == [0, 0, 0, 0x0B])
        // nghttp2 ended the session itself: no event, but the caller sees it is no longer alive.
        #expect(!server.isAlive)
    }

    /// Random frame headers and payloads after a valid preface: no trap; the session either
    /// copes or reports a connection error (nghttp2 sends GOAWAY).
    @Test(arguments: [1, 2, 3, 4])
    func randomFramesNeverTrap(seed: UInt64) throws {
        var rng = seed
        func next() -> UInt64 {  // SplitMix64
            rng &+= 0x9E37_79B9_7F4A_7C15
            var z = rng
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<50 {
            let server = try HTTP2Session()
            var input = clientPreface
            for _ in 0..<8 {
                let len = Int(next() % 40)
                let payload = (0..<len).map { _ in UInt8(truncatingIfNeeded: next()) }
                input += frame(type: UInt8(next() % 11), flags: UInt8(truncatingIfNeeded: next()),
                               stream: UInt32(next() % 8), payload: payload)
            }
            let events = input.withUnsafeBytes { server.receive($0) }
            for e in events {
                if case .request = e { continue }
                if case .streamError = e { continue }
                #expect(connectionErrors([e]).count == 1)
            }
            var out: [UInt8] = []
            server.drainOutput(into: &out)
        }
    }

    @Test func responseToResetStreamIsDropped() throws {
        let server = try HTTP2Session()
        let c = H2Client()
        let id = c.request("GET", "/slow")
        #expect(requests(pump(c, server)).count == 1)
        c.reset(id)
        pump(c, server)
        server.submitResponse(streamID: id, status: 200, headers: [], body: Array("late".utf8))
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        #expect(countFrames(out, type: 1) == 0)
        #expect(server.isAlive)
    }
}
