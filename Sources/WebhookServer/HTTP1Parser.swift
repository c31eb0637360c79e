import WebhookHTTP

/// Size limits for one HTTP/1.1 request.
public struct HTTP1Limits: Sendable {
    /// Request line + header fields + the empty line ending them, CRLFs included.
    /// Also bounds a chunked body's trailer section.
    public var maxHeaderBytes = 65536
    /// Decoded body bytes (after de-chunking).
    public var maxBodyBytes = 7 * 1024 * 1024

    public init(maxHeaderBytes: Int = 65536, maxBodyBytes: Int = 7 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

public enum HTTP1Event: Sendable {
    case request(HTTPRequest, keepAlive: Bool)
    /// The caller writes `HTTP/1.1 100 Continue\r\n\r\n`; the body follows.
    case sendContinue
    /// The caller answers with `connection: close` and closes; the parser is dead afterwards.
    case error(status: Int, message: String)
}

/// Incremental, strict RFC 9112 request parser, no I/O.
///
/// Line endings: only CRLF. A lone LF or a bare CR anywhere in the head, a chunk-size
/// line or the trailers is a 400 (RFC 9112 §2.2 allows rejecting both; accepting lone LF
/// only widens the room for request smuggling, and the apiserver always sends CRLF).
/// Empty lines before a request line are skipped (RFC 9112 §2.2).
public struct HTTP1Parser: Sendable {
    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case dead
    }

    fileprivate struct Pending: Sendable {
        var method: String
        var path: String
        var query: String
        var headers: HTTPHeaders
        var keepAlive: Bool
        var body: [UInt8] = []
    }

    private let limits: HTTP1Limits
    private var buffer: [UInt8] = []
    /// Start of unconsumed bytes.
    private var position = 0
    /// Where the search for the end of the head resumes (bytes before it hold no terminator).
    private var scanOffset = 0
    private var state = State.head
    private var pending: Pending?
    /// A `.sendContinue` was produced and the body framing that follows is already set up.
    private var continuePending = false

    public init(limits: HTTP1Limits = .init()) {
        self.limits = limits
    }

    /// Bytes of an unfinished request are buffered (header timeout rather than idle timeout).
    public var hasPartialRequest: Bool {
        switch state {
        case .head: return position < buffer.count
        case .dead: return false
        default: return true
        }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if case .dead = state { return }
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            scanOffset = 0
            position = 0
        } else if position >= 4096 && position * 2 >= buffer.count {
            // Compact only when the consumed prefix dominates: amortised linear.
            buffer.removeSubrange(0..<position)
            scanOffset = max(0, scanOffset - position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() -> HTTP1Event? {
        while true {
            switch state {
            case .dead:
                return nil
            case .head:
                skipLeadingEmptyLines()
                let headEnd: Int
                switch findHeadEnd() {
                case .needMore: return nil
                case .failed(let status, let message): return fail(status, message)
                case .found(let end): headEnd = end
                }
                let outcome = buffer.withUnsafeBufferPointer {
                    Self.parseHead(UnsafeBufferPointer(rebasing: $0[position..<headEnd]), limits: limits)
                }
                position = headEnd
                scanOffset = headEnd
                switch outcome {
                case .failure(let status, let message):
                    return fail(status, message)
                case .success(let head):
                    var p = Pending(method: head.method, path: head.path, query: head.query,
                                    headers: head.headers, keepAlive: head.keepAlive)
                    switch head.framing {
                    case .none:
                        return .request(p.request, keepAlive: p.keepAlive)
                    case .length(let n):
                        if n == 0 { return .request(p.request, keepAlive: p.keepAlive) }
                        // Grow as bytes arrive: a claimed length alone must not reserve memory.
                        p.body.reserveCapacity(min(n, 65536))
                        state = .fixedBody(remaining: n)
                    case .chunked:
                        state = .chunkSize
                    }
                    pending = p
                    if head.expectContinue { return .sendContinue }
                }
            case .fixedBody(let remaining):
                let take = min(remaining, buffer.count - position)
                if take > 0 {
                    pending?.body.append(contentsOf: buffer[position..<position + take])
                    position += take
                }
                if take < remaining {
                    state = .fixedBody(remaining: remaining - take)
                    return nil
                }
                return finishRequest()
            case .chunkSize:
                guard let lf = nextLF() else {
                    if buffer.count - position > Self.maxChunkLine {
                        return fail(400, "chunk size line too long")
                    }
                    return nil
                }
                guard lf > position, buffer[lf - 1] == CR else { return fail(400, "bare LF in chunked body") }
                let soFar = pending?.body.count ?? 0
                let parsed = buffer.withUnsafeBufferPointer {
                    Self.parseChunkSize(UnsafeBufferPointer(rebasing: $0[position..<lf - 1]),
                                        room: limits.maxBodyBytes - soFar)
                }
                position = lf + 1
                switch parsed {
                case .invalid: return fail(400, "invalid chunk size")
                case .tooLarge: return fail(413, "request body exceeds \(limits.maxBodyBytes) bytes")
                case .size(0): state = .trailers(bytes: 0)
                case .size(let n): state = .chunkData(remaining: n)
                }
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - position)
                if take > 0 {
                    pending?.body.append(contentsOf: buffer[position..<position + take])
                    position += take
                }
                if take < remaining {
                    state = .chunkData(remaining: remaining - take)
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                if buffer.count - position < 2 { return nil }
                guard buffer[position] == CR, buffer[position + 1] == LF else {
                    return fail(400, "missing CRLF after chunk data")
                }
                position += 2
                state = .chunkSize
            case .trailers(let bytes):
                // Trailer fields are read past, never merged into the headers.
                guard let lf = nextLF() else {
                    if bytes + (buffer.count - position) > limits.maxHeaderBytes {
                        return fail(431, "request trailers exceed \(limits.maxHeaderBytes) bytes")
                    }
                    return nil
                }
                guard lf > position, buffer[lf - 1] == CR else { return fail(400, "bare LF in trailers") }
                let lineBytes = lf + 1 - position
                let total = bytes + lineBytes
                if total > limits.maxHeaderBytes {
                    return fail(431, "request trailers exceed \(limits.maxHeaderBytes) bytes")
                }
                position = lf + 1
                if lineBytes == 2 { return finishRequest() }
                state = .trailers(bytes: total)
            }
        }
    }

    // MARK: - state helpers

    private static let maxChunkLine = 4096

    private mutating func fail(_ status: Int, _ message: String) -> HTTP1Event {
        state = .dead
        pending = nil
        buffer = []
        position = 0
        scanOffset = 0
        return .error(status: status, message: message)
    }

    private mutating func finishRequest() -> HTTP1Event? {
        state = .head
        scanOffset = position
        guard let p = pending else { return nil }
        pending = nil
        return .request(p.request, keepAlive: p.keepAlive)
    }

    private mutating func skipLeadingEmptyLines() {
        while buffer.count - position >= 2, buffer[position] == CR, buffer[position + 1] == LF {
            position += 2
        }
        if scanOffset < position { scanOffset = position }
    }

    /// The next LF at or after `position`, resuming where the last unsuccessful search stopped
    /// (a line dribbled in byte by byte is scanned once, not once per append).
    private mutating func nextLF() -> Int? {
        let from = max(scanOffset, position)
        let found = buffer.withUnsafeBufferPointer { b -> Int? in
            var i = from
            while i < b.count {
                if b[i] == LF { return i }
                i &+= 1
            }
            return nil
        }
        scanOffset = found.map { $0 &+ 1 } ?? buffer.count
        return found
    }

    private enum HeadScan { case found(end: Int), needMore, failed(Int, String) }

    /// Looks for the CRLFCRLF ending the head, resuming at `scanOffset`.
    private mutating func findHeadEnd() -> HeadScan {
        let start = position
        let limit = limits.maxHeaderBytes
        let from = max(scanOffset, start)
        let scan = buffer.withUnsafeBufferPointer { b -> HeadScan in
            var i = from
            while i < b.count {
                if b[i] == LF {
                    if i == start || b[i - 1] != CR { return .failed(400, "bare LF in request head") }
                    if i - start >= 3, b[i - 2] == LF, b[i - 3] == CR { return .found(end: i + 1) }
                }
                i &+= 1
            }
            return .needMore
        }
        switch scan {
        case .found(let end):
            if end - start > limit { return .failed(431, "request headers exceed \(limit) bytes") }
        case .needMore:
            if buffer.count - start >= limit { return .failed(431, "request headers exceed \(limit) bytes") }
            // A CRLFCRLF may straddle the next append: rescan the last three bytes only.
            scanOffset = max(start, buffer.count - 3)
        case .failed:
            break
        }
        return scan
    }
}

let CR: UInt8 = 13
let LF: UInt8 = 10

extension HTTP1Parser.Pending {
    var request: HTTPRequest {
        HTTPRequest(method: method, path: path, query: query, headers: headers, body: body)
    }
}
