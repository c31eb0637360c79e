import CNghttp2

/// A server-side HTTP/2 connection state machine over libnghttp2's in-memory API: bytes in
/// (`receive`), bytes out (`drainOutput`), no sockets. Single-threaded: one connection's
/// event loop owns it. The only owner of its `nghttp2_session`.
public final class HTTP2Session {
    public struct Settings: Sendable {
        public var maxConcurrentStreams = 100
        public var maxBodyBytes = 7 * 1024 * 1024
        public var maxHeaderListBytes = 65536

        public init(maxConcurrentStreams: Int = 100, maxBodyBytes: Int = 7 * 1024 * 1024,
                    maxHeaderListBytes: Int = 65536) {
            self.maxConcurrentStreams = maxConcurrentStreams
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderListBytes = maxHeaderListBytes
        }
    }

    public enum Event: Sendable {
        /// `path` includes `?query`; `headers` are the regular (non-pseudo) fields, names lowercase.
        case request(streamID: Int32, method: String, path: String, authority: String,
                     headers: [(name: String, value: String)], body: [UInt8])
        /// The caller answers that stream with this status (the session resets the stream after).
        case streamError(streamID: Int32, status: Int, message: String)
        /// The caller flushes output, then closes.
        case connectionError(String)
    }

    /// Rapid-reset defence (CVE-2023-44487): more than `resetLimit` peer RST_STREAMs, or streams
    /// aborted before we answered, within `resetWindow` → GOAWAY(ENHANCE_YOUR_CALM).
    var resetLimit = 200
    var resetWindow = Duration.seconds(10)
    /// Request bodies still being received, summed over this connection's streams: without a cap,
    /// 100 streams × maxBodyBytes could be held at once.
    var maxBufferedBodyBytes: Int


    let settings: Settings
    private var session: OpaquePointer?
    private var streams: [Int32: Stream] = [:]
    private var outgoing: [Int32: Outgoing] = [:]
    private var events: [Event] = []
    /// Streams answered after a streamError: reset with NO_ERROR once the answer is sent.
    private var resetAfterSend: [Int32] = []
    private var dead = false
    private var windowStart = ContinuousClock.now
    private var peerResets = 0
    private var abortedStreams = 0
    private var bufferedBodyBytes = 0

    public init(settings: Settings = .init()) throws {
        self.settings = settings
        let (four, overflow) = settings.maxBodyBytes.multipliedReportingOverflow(by: 4)
        self.maxBufferedBodyBytes = overflow ? Int.max : four
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let cbs = callbacks else {
            throw HTTP2SessionError(code: -1, description: "nghttp2_session_callbacks_new failed")
        }
        defer { nghttp2_session_callbacks_del(cbs) }
        nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, h2OnBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(cbs, h2OnHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, h2OnDataChunk)
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, h2OnFrameRecv)
        nghttp2_session_callbacks_set_on_frame_send_callback(cbs, h2OnFrameSend)
        nghttp2_session_callbacks_set_on_frame_not_send_callback(cbs, h2OnFrameNotSend)
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, h2OnStreamClose)

        var opt: OpaquePointer?
        guard nghttp2_option_new(&opt) == 0, let option = opt else {
            throw HTTP2SessionError(code: -1, description: "nghttp2_option_new failed")
        }
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_closed_streams(option, 1)
        // SETTINGS / PING floods: few entries per SETTINGS frame, few unsent ACKs queued.
        nghttp2_option_set_max_settings(option, 16)
        nghttp2_option_set_max_outbound_ack(option, 200)
        // CONTINUATION flood: at most this many CONTINUATION frames after a HEADERS frame.
        nghttp2_option_set_max_continuations(option, 8)

        var s: OpaquePointer?
        let rv = nghttp2_session_server_new2(&s, cbs, Unmanaged.passUnretained(self).toOpaque(), option)
        guard rv == 0, let created = s else {
            throw HTTP2SessionError(code: rv, description: "nghttp2_session_server_new2: \(Self.errorText(rv))")
        }
        session = created

        var iv = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: UInt32(clamping: settings.maxConcurrentStreams)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                                   value: UInt32(clamping: settings.maxHeaderListBytes)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            // No priority tree to maintain (RFC 9218 §2.1).
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES.rawValue), value: 1),
        ]
        let sv = nghttp2_submit_settings(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), &iv, iv.count)
        guard sv == 0 else {
            throw HTTP2SessionError(code: sv, description: "nghttp2_submit_settings: \(Self.errorText(sv))")
        }
    }

    deinit {
        if let s = session { nghttp2_session_del(s) }
    }

    /// Feeds received bytes; returns what they completed.
    public func receive(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        guard !dead, let s = session, let base = bytes.baseAddress, bytes.count > 0 else { return [] }
        let rv = nghttp2_session_mem_recv(s, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if rv < 0 {
            dead = true
            // Say why before the caller closes (RFC 9113 §5.4.1); nghttp2 queues nothing itself
            // for errors returned from mem_recv. Floods (CONTINUATION, unread SETTINGS/PING ACKs)
            // get ENHANCE_YOUR_CALM.
            let flood = rv == Int(NGHTTP2_ERR_FLOODED.rawValue) || rv == Int(NGHTTP2_ERR_TOO_MANY_CONTINUATIONS.rawValue)
            _ = nghttp2_session_terminate_session(s, flood ? NGHTTP2_ENHANCE_YOUR_CALM.rawValue
                                                           : NGHTTP2_PROTOCOL_ERROR.rawValue)
            events.append(.connectionError("HTTP/2: \(Self.errorText(Int32(clamping: rv)))"))
        }
        let out = events
        events.removeAll(keepingCapacity: true)
        return out
    }

    /// Answers a stream. Header names are lowercased; framing headers are dropped and
    /// `content-length` added. A stream already closed (peer reset) is silently ignored.
    public func submitResponse(streamID: Int32, status: Int, headers: [(name: String, value: String)],
                               body: [UInt8]) {
        guard let s = session, let stream = streams[streamID], !stream.responded else { return }
        stream.responded = true
        let bodyAllowed = status >= 200 && status != 204 && status != 304

        // All names and values in one buffer; nghttp2 copies them during submit.
        var fields: [(name: String, value: String)] = [(":status", String(status))]
        fields.reserveCapacity(headers.count + 2)
        for h in headers where !Self.isConnectionSpecific(h.name) { fields.append(h) }
        if bodyAllowed { fields.append(("content-length", String(body.count))) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        var ranges: [(Int, Int, Int, Int)] = []
        ranges.reserveCapacity(fields.count)
        for f in fields {
            let n = bytes.count
            for c in f.name.utf8 { bytes.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c) }
            let v = bytes.count
            // A CR, LF or NUL in a value is a protocol error for the peer: write a space instead.
            for c in f.value.utf8 { bytes.append(c == 13 || c == 10 || c == 0 ? 0x20 : c) }
            ranges.append((n, v - n, v, bytes.count - v))
        }

        if bodyAllowed && !body.isEmpty { outgoing[streamID] = Outgoing(bytes: body) }
        let rv = bytes.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let p = buf.baseAddress else { return -1 }
            var nva = ranges.map { r in
                nghttp2_nv(name: p + r.0, value: p + r.2, namelen: r.1, valuelen: r.3,
                           flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            if outgoing[streamID] != nil {
                var provider = nghttp2_data_provider()
                provider.read_callback = h2ReadBody
                return nghttp2_submit_response(s, streamID, &nva, nva.count, &provider)
            }
            return nghttp2_submit_response(s, streamID, &nva, nva.count, nil)
        }
        if rv != 0 { outgoing[streamID] = nil }
    }

    /// Everything nghttp2 has to send now, appended to `out`.
    public func drainOutput(into out: inout [UInt8]) {
        guard let s = session else { return }
        while true {
            var chunk: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(s, &chunk)
            if n > 0, let c = chunk {
                out.append(contentsOf: UnsafeBufferPointer(start: c, count: n))
                continue
            }
            if n < 0 {
                dead = true
                return
            }
            if resetAfterSend.isEmpty { return }
            // Outside callbacks: ask a peer still sending an answered request to stop (RFC 9113 §8.1).
            for id in resetAfterSend where streams[id] != nil {
                _ = nghttp2_submit_rst_stream(s, UInt8(NGHTTP2_FLAG_NONE.rawValue), id,
                                              NGHTTP2_NO_ERROR.rawValue)
            }
            resetAfterSend.removeAll()
        }
    }

    /// Gives up on every request whose headers or body have been arriving for longer than `limit`
    /// (slowloris on a stream: each trickled byte would otherwise keep it, and its buffered body,
    /// alive forever). Returns their stream ids; the caller answers each (e.g. 408), after which
    /// the stream is reset like any early answer.
    public func abandonRequests(olderThan limit: Duration) -> [Int32] {
        let now = ContinuousClock.now
        var ids: [Int32] = []
        for (id, stream) in streams where !stream.completed && !stream.failed && now - stream.started > limit {
            discard(stream)
            ids.append(id)
        }
        return ids.sorted()
    }

    public var isAlive: Bool {
        guard let s = session, !dead else { return false }
        return nghttp2_session_want_read(s) != 0 || nghttp2_session_want_write(s) != 0
    }

    /// Graceful GOAWAY naming the last stream processed: open streams finish, new ones are refused.
    public func goAway() {
        guard let s = session else { return }
        _ = nghttp2_submit_goaway(s, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                  nghttp2_session_get_last_proc_stream_id(s), NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    static func errorText(_ code: Int32) -> String {
        guard let p = nghttp2_strerror(code) else { return "error \(code)" }
        return String(cString: p)
    }

    private static func isConnectionSpecific(_ name: String) -> Bool {
        for n in ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length"]
        where equalsIgnoringCase(name, n) { return true }
        return false
    }

    static func equalsIgnoringCase(_ a: String, _ lower: String) -> Bool {
        let x = a.utf8, y = lower.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where (p >= 0x41 && p <= 0x5A ? p | 0x20 : p) != q { return false }
        return true
    }

    // MARK: - per stream state

    final class Stream {
        var method = ""
        var path = ""
        var authority = ""
        var host = ""
        var headers: [(name: String, value: String)] = []
        var headerBytes = 0
        var body: [UInt8] = []
        /// Set once a streamError was reported: the rest of the request is discarded.
        var failed = false
        /// The whole request arrived and was reported.
        var completed = false
        let started = ContinuousClock.now
        var headerTooLarge = false
        var responded = false
    }

    struct Outgoing {
        var bytes: [UInt8]
        var offset = 0
    }

    // MARK: - callback bodies (called from the global C callbacks below)

    fileprivate func beginHeaders(_ frame: UnsafePointer<nghttp2_frame>) {
        guard frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
              frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return }
        streams[frame.pointee.hd.stream_id] = Stream()
    }

    fileprivate func header(_ frame: UnsafePointer<nghttp2_frame>, name: UnsafeBufferPointer<UInt8>,
                            value: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams[frame.pointee.hd.stream_id], !stream.failed, !stream.headerTooLarge else { return }
        stream.headerBytes &+= name.count &+ value.count &+ 32
        if stream.headerBytes > settings.maxHeaderListBytes {
            stream.headerTooLarge = true
            stream.headers = []
            return
        }
        // Trailer fields (a second HEADERS block) are counted, not kept.
        guard frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return }
        // nghttp2 has validated pseudo-headers (presence, order, no duplicates) and lowercase names.
        if name.first == 0x3A {
            let v = String(decoding: value, as: UTF8.self)
            switch String(decoding: name, as: UTF8.self) {
            case ":method": stream.method = v
            case ":path": stream.path = v
            case ":authority": stream.authority = v
            default: break
            }
            return
        }
        let n = String(decoding: name, as: UTF8.self), v = String(decoding: value, as: UTF8.self)
        if n == "host" { stream.host = v }
        stream.headers.append((name: n, value: v))
    }

    fileprivate func dataChunk(streamID: Int32, _ data: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams[streamID], !stream.failed else { return }
        if data.count > settings.maxBodyBytes - stream.body.count {
            fail(streamID, stream, 413, "request body exceeds \(settings.maxBodyBytes) bytes")
            return
        }
        if data.count > maxBufferedBodyBytes - bufferedBodyBytes {
            fail(streamID, stream, 503, "too much request data in flight on this connection")
            return
        }
        bufferedBodyBytes &+= data.count
        stream.body.append(contentsOf: data)
    }

    fileprivate func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
        let hd = frame.pointee.hd
        let endStream = hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch Int(hd.type) {
        case Int(NGHTTP2_RST_STREAM.rawValue):
            noteReset(peer: true)
        case Int(NGHTTP2_HEADERS.rawValue):
            guard let stream = streams[hd.stream_id], !stream.failed else { return }
            if stream.headerTooLarge {
                fail(hd.stream_id, stream, 431, "request header list exceeds \(settings.maxHeaderListBytes) bytes")
                return
            }
            if frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
                if stream.method.isEmpty || stream.path.isEmpty {
                    fail(hd.stream_id, stream, 400, "missing :method or :path")  // e.g. CONNECT
                    return
                }
                if let cl = stream.headers.first(where: { $0.name == "content-length" }),
                   let n = Int(cl.value), n > settings.maxBodyBytes {
                    fail(hd.stream_id, stream, 413, "request body exceeds \(settings.maxBodyBytes) bytes")
                    return
                }
            }
            if endStream { complete(hd.stream_id, stream) }
        case Int(NGHTTP2_DATA.rawValue):
            guard endStream, let stream = streams[hd.stream_id], !stream.failed else { return }
            complete(hd.stream_id, stream)
        default:
            break
        }
    }

    fileprivate func frameSent(_ frame: UnsafePointer<nghttp2_frame>) {
        let hd = frame.pointee.hd
        guard hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0,
              let stream = streams[hd.stream_id], stream.failed else { return }
        resetAfterSend.append(hd.stream_id)
    }

    fileprivate func frameNotSent(_ frame: UnsafePointer<nghttp2_frame>) {
        outgoing[frame.pointee.hd.stream_id] = nil
    }

    fileprivate func streamClosed(_ streamID: Int32, errorCode: UInt32) {
        if let stream = streams.removeValue(forKey: streamID) {
            bufferedBodyBytes &-= stream.body.count
            if errorCode != NGHTTP2_NO_ERROR.rawValue && !stream.responded { noteReset(peer: false) }
        }
        outgoing[streamID] = nil
    }

    fileprivate func readBody(streamID: Int32, into buf: UnsafeMutablePointer<UInt8>, length: Int,
                              flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard var o = outgoing[streamID] else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let n = min(length, o.bytes.count - o.offset)
        o.bytes.withUnsafeBufferPointer { src in
            if n > 0, let base = src.baseAddress { buf.update(from: base + o.offset, count: n) }
        }
        o.offset += n
        if o.offset >= o.bytes.count {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            outgoing[streamID] = nil
        } else {
            outgoing[streamID] = o
        }
        return n
    }

    private func complete(_ id: Int32, _ stream: Stream) {
        guard !dead else { return }  // frames after our GOAWAY in the same read: no more work
        let authority = stream.authority.isEmpty ? stream.host : stream.authority
        events.append(.request(streamID: id, method: stream.method, path: stream.path, authority: authority,
                               headers: stream.headers, body: stream.body))
        bufferedBodyBytes &-= stream.body.count
        stream.completed = true
        stream.headers = []
        stream.body = []
    }

    private func fail(_ id: Int32, _ stream: Stream, _ status: Int, _ message: String) {
        discard(stream)
        if !dead { events.append(.streamError(streamID: id, status: status, message: message)) }
    }

    /// The rest of this request is ignored and what was buffered for it is released.
    private func discard(_ stream: Stream) {
        stream.failed = true
        bufferedBodyBytes &-= stream.body.count
        stream.headers = []
        stream.body = []
    }

    /// `peer`: a RST_STREAM frame received; otherwise a stream closed with an error before we answered.
    private func noteReset(peer: Bool) {
        let now = ContinuousClock.now
        if now - windowStart > resetWindow {
            windowStart = now
            peerResets = 0
            abortedStreams = 0
        }
        if peer { peerResets &+= 1 } else { abortedStreams &+= 1 }
        guard !dead, peerResets > resetLimit || abortedStreams > resetLimit, let s = session else { return }
        dead = true
        // Queues GOAWAY(ENHANCE_YOUR_CALM, last processed stream); nghttp2 then stops reading.
        _ = nghttp2_session_terminate_session(s, NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        events.append(.connectionError("HTTP/2: too many stream resets (rapid reset)"))
    }
}

public struct HTTP2SessionError: Error, CustomStringConvertible {
    public let code: Int32
    public let description: String
}

// MARK: - C callbacks: plain functions; user_data is the unretained HTTP2Session.

private func h2Session(_ p: UnsafeMutableRawPointer?) -> HTTP2Session? {
    p.map { Unmanaged<HTTP2Session>.fromOpaque($0).takeUnretainedValue() }
}

private func h2OnBeginHeaders(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                              _ user: UnsafeMutableRawPointer?) -> Int32 {
    if let f = frame { h2Session(user)?.beginHeaders(f) }
    return 0
}

private func h2OnHeader(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                        _ name: UnsafePointer<UInt8>?, _ namelen: Int,
                        _ value: UnsafePointer<UInt8>?, _ valuelen: Int,
                        _ flags: UInt8, _ user: UnsafeMutableRawPointer?) -> Int32 {
    if let f = frame {
        h2Session(user)?.header(f, name: UnsafeBufferPointer(start: name, count: name == nil ? 0 : namelen),
                                value: UnsafeBufferPointer(start: value, count: value == nil ? 0 : valuelen))
    }
    return 0
}

private func h2OnDataChunk(_ s: OpaquePointer?, _ flags: UInt8, _ streamID: Int32,
                           _ data: UnsafePointer<UInt8>?, _ len: Int, _ user: UnsafeMutableRawPointer?) -> Int32 {
    h2Session(user)?.dataChunk(streamID: streamID, UnsafeBufferPointer(start: data, count: data == nil ? 0 : len))
    return 0
}

private func h2OnFrameRecv(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                           _ user: UnsafeMutableRawPointer?) -> Int32 {
    if let f = frame { h2Session(user)?.frameReceived(f) }
    return 0
}

private func h2OnFrameSend(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?,
                           _ user: UnsafeMutableRawPointer?) -> Int32 {
    if let f = frame { h2Session(user)?.frameSent(f) }
    return 0
}

private func h2OnFrameNotSend(_ s: OpaquePointer?, _ frame: UnsafePointer<nghttp2_frame>?, _ error: Int32,
                              _ user: UnsafeMutableRawPointer?) -> Int32 {
    if let f = frame { h2Session(user)?.frameNotSent(f) }
    return 0
}

private func h2OnStreamClose(_ s: OpaquePointer?, _ streamID: Int32, _ errorCode: UInt32,
                             _ user: UnsafeMutableRawPointer?) -> Int32 {
    h2Session(user)?.streamClosed(streamID, errorCode: errorCode)
    return 0
}

private func h2ReadBody(_ s: OpaquePointer?, _ streamID: Int32, _ buf: UnsafeMutablePointer<UInt8>?,
                        _ length: Int, _ flags: UnsafeMutablePointer<UInt32>?,
                        _ source: UnsafeMutablePointer<nghttp2_data_source>?,
                        _ user: UnsafeMutableRawPointer?) -> Int {
    guard let b = buf, let f = flags, let session = h2Session(user) else {
        return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    }
    return session.readBody(streamID: streamID, into: b, length: length, flags: f)
}
