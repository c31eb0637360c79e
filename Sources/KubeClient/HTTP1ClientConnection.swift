import WebhookTLS

/// HTTP/1.1 framing over one `TLSClientConnection`: writes requests, reads status + headers,
/// and bodies framed by Content-Length, chunked encoding or connection close.
final class HTTP1ClientConnection: @unchecked Sendable {
    struct Head {
        var status: Int
        var headers: [(name: String, value: String)]
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    enum BodyFraming {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    static let maxHeaderBytes = 64 * 1024

    let tls: TLSClientConnection
    private var buffer: [UInt8] = []
    private var start = 0
    /// False once framing says the connection cannot carry another request.
    private(set) var reusable = true

    init(tls: TLSClientConnection) { self.tls = tls }

    func send(_ request: KubeRequest, host: String, pathPrefix: String, authorization: String?, deadline: ContinuousClock.Instant) throws {
        var head = "\(request.method) \(pathPrefix)\(request.path) HTTP/1.1\r\nHost: \(host)\r\n"
        head += "User-Agent: mpa-admission\r\nAccept: application/json\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        if let body = request.body {
            head += "Content-Type: \(request.contentType)\r\nContent-Length: \(body.count)\r\n"
        } else if request.method != "GET" && request.method != "HEAD" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body = request.body { bytes.append(contentsOf: body) }
        do { try tls.write(bytes, until: deadline) } catch { throw KubeError.transport(error.message) }
    }

    func readHead(method: String, deadline: ContinuousClock.Instant) throws -> (Head, BodyFraming) {
        while true {
            let head = try readHeadOnce(deadline: deadline)
            // 1xx interim answers (100 Continue) are skipped.
            if (100..<200).contains(head.status) { continue }
            return (head, try framing(of: head, method: method))
        }
    }

    private func readHeadOnce(deadline: ContinuousClock.Instant) throws -> Head {
        let statusLine = try readLine(deadline: deadline, limit: 8192)
        // "HTTP/1.1 200 OK"
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].starts(with: Array("HTTP/1.".utf8)),
              let code = Int(String(decoding: parts[1], as: UTF8.self)), (100...999).contains(code) else {
            throw KubeError.transport("malformed HTTP status line \"\(String(decoding: statusLine.prefix(80), as: UTF8.self))\"")
        }
        if parts[0].elementsEqual(Array("HTTP/1.0".utf8)) { reusable = false }
        var headers: [(name: String, value: String)] = []
        var total = statusLine.count
        while true {
            let line = try readLine(deadline: deadline, limit: Self.maxHeaderBytes)
            if line.isEmpty { break }
            total += line.count
            guard total <= Self.maxHeaderBytes else { throw KubeError.transport("response headers larger than 64 KiB") }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw KubeError.transport("malformed HTTP header line")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
                .trimmed(of: " \t")
            headers.append((name, value))
        }
        let head = Head(status: code, headers: headers)
        if let c = head.header("connection"), c.lowercased().contains("close") { reusable = false }
        return head
    }

    private func framing(of head: Head, method: String) throws -> BodyFraming {
        if method == "HEAD" || head.status == 204 || head.status == 304 { return .none }
        if let te = head.header("transfer-encoding") {
            guard te.lowercased().hasSuffix("chunked") else {
                throw KubeError.transport("unsupported transfer-encoding \(te)")
            }
            return .chunked
        }
        if let cl = head.header("content-length") {
            guard let n = Int(cl), n >= 0 else { throw KubeError.transport("bad content-length \(cl)") }
            return .length(n)
        }
        reusable = false
        return .untilClose
    }

    /// Reads a whole body (at most `limit` bytes).
    func readBody(_ framing: BodyFraming, limit: Int, deadline: ContinuousClock.Instant) throws -> [UInt8] {
        var out: [UInt8] = []
        try readBody(framing, deadline: { deadline }) { chunk in
            guard out.count + chunk.count <= limit else {
                throw KubeError.transport("response body larger than \(limit) bytes")
            }
            out.append(contentsOf: chunk)
            return true
        }
        return out
    }

    /// Streams body bytes to `sink` as they arrive; `sink` returns false to stop early (the
    /// connection is then not reusable). `deadline` is asked before every read (idle timeouts).
    func readBody(_ framing: BodyFraming, deadline: () -> ContinuousClock.Instant,
                  sink: (ArraySlice<UInt8>) throws -> Bool) throws {
        switch framing {
        case .none:
            return
        case .length(var left):
            while left > 0 {
                if start == buffer.count { try fill(deadline: deadline(), eofIsError: true) }
                let n = min(left, buffer.count - start)
                let piece = buffer[start..<(start + n)]
                start += n
                left -= n
                if try !sink(piece) { reusable = false; return }
            }
        case .untilClose:
            while true {
                if start == buffer.count {
                    guard try fill(deadline: deadline(), eofIsError: false) else { return }
                }
                let piece = buffer[start...]
                start = buffer.count
                if try !sink(piece) { return }
            }
        case .chunked:
            while true {
                let sizeLine = try readLine(deadline: deadline(), limit: 4096)
                let hex = sizeLine.prefix { $0 != UInt8(ascii: ";") }
                guard let size = Int(String(decoding: hex, as: UTF8.self).trimmed(of: " \t"), radix: 16),
                      size >= 0 else {
                    throw KubeError.transport("malformed chunk size")
                }
                if size == 0 {
                    // Trailers, then the empty line.
                    while try !readLine(deadline: deadline(), limit: Self.maxHeaderBytes).isEmpty {}
                    return
                }
                var left = size
                while left > 0 {
                    if start == buffer.count { try fill(deadline: deadline(), eofIsError: true) }
                    let n = min(left, buffer.count - start)
                    let piece = buffer[start..<(start + n)]
                    start += n
                    left -= n
                    if try !sink(piece) { reusable = false; return }
                }
                guard try readLine(deadline: deadline(), limit: 2).isEmpty else {
                    throw KubeError.transport("chunk not followed by CRLF")
                }
            }
        }
    }

    /// One CRLF- (or LF-) terminated line without its terminator.
    private func readLine(deadline: ContinuousClock.Instant, limit: Int) throws -> ArraySlice<UInt8> {
        // Bytes after `start` already searched; an offset, because `fill` may compact the buffer.
        var searched = 0
        while true {
            if let nl = buffer[(start + searched)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = nl
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = nl + 1
                return line
            }
            searched = buffer.count - start
            guard searched <= limit else { throw KubeError.transport("HTTP line longer than \(limit) bytes") }
            try fill(deadline: deadline, eofIsError: true)
        }
    }

    /// Reads more bytes into the buffer; false at a clean EOF when that is allowed.
    @discardableResult
    private func fill(deadline: ContinuousClock.Instant, eofIsError: Bool) throws -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65536 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let bytes: [UInt8]
        do { bytes = try tls.read(until: deadline) } catch { reusable = false; throw KubeError.transport(error.message) }
        if bytes.isEmpty {
            reusable = false
            if eofIsError { throw KubeError.transport("connection closed by the server mid-response") }
            return false
        }
        buffer.append(contentsOf: bytes)
        return true
    }

    /// True when the server sent bytes we did not ask for (the connection is then unusable).
    var hasLeftoverBytes: Bool { start < buffer.count }
}

extension String {
    /// Drops leading and trailing scalars found in `set` (by scalar: "\r\n" is one Character).
    func trimmed(of set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var s = Substring(self).unicodeScalars
        while let f = s.first, scalars.contains(f) { s.removeFirst() }
        while let l = s.last, scalars.contains(l) { s.removeLast() }
        return String(s)
    }
}
