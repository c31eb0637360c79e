import WebhookHTTP

/// Parsing of one complete request head and of chunk-size lines (pure functions over bytes).
extension HTTP1Parser {
    enum Framing: Equatable { case none, length(Int), chunked }

    struct Head {
        var method: String
        var path: String
        var query: String
        var headers: HTTPHeaders
        var keepAlive: Bool
        var framing: Framing
        var expectContinue: Bool
    }

    enum HeadOutcome {
        case success(Head)
        case failure(Int, String)
    }

    enum ChunkSize: Equatable { case size(Int), invalid, tooLarge }

    /// `b` is the head from the request line through the final CRLFCRLF.
    static func parseHead(_ b: UnsafeBufferPointer<UInt8>, limits: HTTP1Limits) -> HeadOutcome {
        guard let firstLF = indexOfLF(b, from: 0), firstLF >= 1, b[firstLF - 1] == CR else {
            return .failure(400, "invalid request line")
        }
        let lineEnd = firstLF - 1

        // request-line = method SP request-target SP HTTP-version
        var sp1 = 0
        while sp1 < lineEnd, isTokenChar(b[sp1]) { sp1 &+= 1 }
        guard sp1 > 0, sp1 < lineEnd, b[sp1] == SP else { return .failure(400, "invalid request method") }
        var sp2 = sp1 &+ 1
        while sp2 < lineEnd, b[sp2] != SP { sp2 &+= 1 }
        guard sp2 < lineEnd, sp2 > sp1 &+ 1 else { return .failure(400, "invalid request line") }

        let v = sp2 &+ 1
        guard lineEnd - v == 8, b[v] == 0x48, b[v + 1] == 0x54, b[v + 2] == 0x54, b[v + 3] == 0x50,
              b[v + 4] == 0x2F, isDigit(b[v + 5]), b[v + 6] == 0x2E, isDigit(b[v + 7])
        else { return .failure(400, "invalid HTTP version") }
        guard b[v + 5] == 0x31, b[v + 7] == 0x31 || b[v + 7] == 0x30 else {
            return .failure(505, "HTTP version not supported")
        }
        let http11 = b[v + 7] == 0x31

        let method = string(b, 0, sp1)
        guard let (path, query) = splitTarget(b, sp1 &+ 1, sp2, method: method) else {
            return .failure(400, "invalid request target")
        }

        var fields: [HTTPHeaders.Field] = []
        var contentLength: Int?
        var transferEncoding = false, chunkedCount = 0, otherCoding = false, chunkedLast = false
        var connectionClose = false, connectionKeepAlive = false
        var expectContinue = false, expectOther = false
        var hostCount = 0

        var lineStart = firstLF &+ 1
        while true {
            guard let lf = indexOfLF(b, from: lineStart), lf > lineStart, b[lf - 1] == CR else {
                return .failure(400, "bare LF in request head")
            }
            let end = lf - 1
            if end == lineStart { break }  // the empty line ending the head
            if b[lineStart] == SP || b[lineStart] == HTAB { return .failure(400, "obsolete line folding") }

            var colon = lineStart
            while colon < end, isTokenChar(b[colon]) { colon &+= 1 }
            guard colon > lineStart, colon < end, b[colon] == COLON else {
                return .failure(400, "invalid header field name")
            }
            var vs = colon &+ 1, ve = end
            while vs < ve, b[vs] == SP || b[vs] == HTAB { vs &+= 1 }
            while ve > vs, b[ve - 1] == SP || b[ve - 1] == HTAB { ve &-= 1 }
            var k = vs
            while k < ve {
                let c = b[k]
                if c < 0x20 && c != HTAB || c == 0x7F { return .failure(400, "invalid header field value") }
                k &+= 1
            }
            let name = lowercasedString(b, lineStart, colon)
            let value = string(b, vs, ve)
            fields.append((name: name, value: value))

            switch name {
            case "content-length":
                var sawOne = false
                for item in value.utf8.split(separator: 0x2C, omittingEmptySubsequences: false) {
                    guard let n = parseDecimal(trimOWS(item)) else {
                        return .failure(400, "invalid Content-Length")
                    }
                    if n < 0 { return .failure(413, "request body exceeds \(limits.maxBodyBytes) bytes") }
                    if let prior = contentLength, prior != n { return .failure(400, "conflicting Content-Length") }
                    contentLength = n
                    sawOne = true
                }
                if !sawOne { return .failure(400, "invalid Content-Length") }
            case "transfer-encoding":
                transferEncoding = true
                for item in value.utf8.split(separator: 0x2C) {
                    let coding = trimOWS(item)
                    if coding.isEmpty { continue }
                    if equalsIgnoringCase(coding, "chunked") {
                        chunkedCount += 1
                        chunkedLast = true
                    } else {
                        otherCoding = true
                        chunkedLast = false
                    }
                }
            case "connection":
                for item in value.utf8.split(separator: 0x2C) {
                    let option = trimOWS(item)
                    if equalsIgnoringCase(option, "close") { connectionClose = true }
                    else if equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
                }
            case "expect":
                if equalsIgnoringCase(Substring(value).utf8, "100-continue") { expectContinue = true }
                else { expectOther = true }
            case "host":
                hostCount += 1
            default:
                break
            }
            lineStart = lf &+ 1
        }

        if http11 && hostCount == 0 { return .failure(400, "missing Host header") }
        if hostCount > 1 { return .failure(400, "multiple Host headers") }

        var framing = Framing.none
        if transferEncoding {
            if contentLength != nil { return .failure(400, "both Content-Length and Transfer-Encoding") }
            if !http11 { return .failure(400, "Transfer-Encoding in HTTP/1.0 request") }
            if chunkedCount == 0 && !otherCoding { return .failure(400, "invalid Transfer-Encoding") }
            if !chunkedLast || chunkedCount > 1 { return .failure(400, "chunked must be the final transfer coding, once") }
            if otherCoding { return .failure(501, "unsupported transfer coding") }
            framing = .chunked
        } else if let n = contentLength {
            if n > limits.maxBodyBytes { return .failure(413, "request body exceeds \(limits.maxBodyBytes) bytes") }
            framing = .length(n)
        }

        // RFC 9110 §10.1.1: 100-continue from an HTTP/1.0 client is ignored.
        if expectOther && http11 { return .failure(417, "unsupported expectation") }
        let hasBody = framing == .chunked || (framing != .none && framing != .length(0))

        return .success(Head(method: method, path: path, query: query, headers: HTTPHeaders(fields),
                             keepAlive: http11 ? !connectionClose : (connectionKeepAlive && !connectionClose),
                             framing: framing, expectContinue: expectContinue && http11 && hasBody))
    }

    /// origin-form (`/p?q`), absolute-form (`http://h/p?q`, path taken), or `*` for OPTIONS.
    private static func splitTarget(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                    method: String) -> (String, String)? {
        var i = start
        while i < end {
            let c = b[i]
            if c <= 0x20 || c >= 0x7F { return nil }
            i &+= 1
        }
        var pathStart = start
        if b[start] != SLASH {
            if end - start == 1 && b[start] == 0x2A && method == "OPTIONS" { return ("*", "") }
            // absolute-form: scheme "://" authority, then the path (RFC 9112 §3.2.2 says accept it).
            var s = start
            while s < end, isSchemeChar(b[s]) { s &+= 1 }
            guard s > start, end - s >= 3, b[s] == COLON, b[s + 1] == SLASH, b[s + 2] == SLASH else { return nil }
            pathStart = s &+ 3
            while pathStart < end, b[pathStart] != SLASH, b[pathStart] != QUESTION { pathStart &+= 1 }
        }
        var q = pathStart
        while q < end, b[q] != QUESTION { q &+= 1 }
        let path = q == pathStart ? "/" : string(b, pathStart, q)
        let query = q < end ? string(b, q &+ 1, end) : ""
        return (path, query)
    }

    /// chunk-size [ BWS ";" chunk-ext ] (the line without its CRLF); extensions are ignored.
    static func parseChunkSize(_ b: UnsafeBufferPointer<UInt8>, room: Int) -> ChunkSize {
        var i = 0, value = 0
        while i < b.count, let d = hexValue(b[i]) {
            let (m, o1) = value.multipliedReportingOverflow(by: 16)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return .tooLarge }
            value = s
            i &+= 1
        }
        if i == 0 { return .invalid }
        if i < b.count {
            while i < b.count, b[i] == SP || b[i] == HTAB { i &+= 1 }
            guard i < b.count, b[i] == 0x3B else { return .invalid }
            while i < b.count {
                let c = b[i]
                if c < 0x20 && c != HTAB || c == 0x7F { return .invalid }
                i &+= 1
            }
        }
        return value > room ? .tooLarge : .size(value)
    }

    // MARK: - byte helpers

    private static func indexOfLF(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i < b.count {
            if b[i] == LF { return i }
            i &+= 1
        }
        return nil
    }

    private static func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// Header names are tokens (ASCII): lowercase them while building the one String.
    private static func lowercasedString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(unsafeUninitializedCapacity: end - start) { dst in
            var i = 0
            while i < end - start {
                let c = b[start + i]
                dst[i] = (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
                i &+= 1
            }
            return end - start
        }
    }

    private static func trimOWS(_ s: Substring.UTF8View) -> Substring.UTF8View {
        var a = s.startIndex, e = s.endIndex
        while a < e, s[a] == SP || s[a] == HTAB { a = s.index(after: a) }
        while e > a, s[s.index(before: e)] == SP || s[s.index(before: e)] == HTAB { e = s.index(before: e) }
        return s[a..<e]
    }

    /// 1*DIGIT; nil when empty or not digits, -1 when it overflows.
    private static func parseDecimal(_ s: Substring.UTF8View) -> Int? {
        if s.isEmpty { return nil }
        var v = 0
        for c in s {
            guard isDigit(c) else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(Int(c &- 0x30))
            if o1 || o2 { return -1 }
            v = r
        }
        return v
    }

    private static func equalsIgnoringCase(_ s: Substring.UTF8View, _ lower: StaticString) -> Bool {
        guard s.count == lower.utf8CodeUnitCount else { return false }
        return lower.withUTF8Buffer { l in
            var i = 0
            for c in s {
                let lc = (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
                if lc != l[i] { return false }
                i &+= 1
            }
            return true
        }
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c &- 0x30)
        case 0x41...0x46: return Int(c &- 0x37)
        case 0x61...0x66: return Int(c &- 0x57)
        default: return nil
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isSchemeChar(_ c: UInt8) -> Bool {
        (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || isDigit(c) || c == 0x2B || c == 0x2D || c == 0x2E
    }

    /// tchar (RFC 9110 §5.6.2).
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }
}

let SP: UInt8 = 0x20
let HTAB: UInt8 = 0x09
let COLON: UInt8 = 0x3A
let SLASH: UInt8 = 0x2F
let QUESTION: UInt8 = 0x3F
