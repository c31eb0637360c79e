import CLinux
import Glibc
import WebhookHTTP
import WebhookTLS

/// One accepted TLS connection, owned by its loop's thread. Protocol work is in the
/// HTTP/1.1 and HTTP/2 extensions; this file holds TLS, buffering, epoll interest and timers.
final class Connection {
    enum Phase { case handshaking, http1, http2, closed }

    let id: UInt64
    let fd: Int32
    unowned let loop: EventLoop
    let tls: TLSConnection
    var phase = Phase.handshaking
    var core: ServerCore { loop.core }

    // Output not yet accepted by TLS.
    var out: [UInt8] = []
    var outOffset = 0
    /// Close as soon as `out` is flushed.
    var closeAfterFlush = false
    /// The peer will send nothing more; finish what is in flight, then close.
    var readClosed = false
    var draining = false
    private var interest: UInt32 = EPOLLIN.rawValue
    private var writeWantsRead = false
    private var readWantsWrite = false

    // Timers (monotonic ns).
    let handshakeDeadline: Int64
    var headerDeadline: Int64?
    var lastActivity: Int64

    // HTTP/1.1
    var parser: HTTP1Parser?
    var slots: [HTTP1Slot] = []
    var nextSeq: Int64 = 0
    var stopParsing = false

    // HTTP/2
    var session: HTTP2Session?
    var streams: [Int32: HTTP2Stream] = [:]
    /// The loop will call `finishDeliveries()` at the end of its current batch.
    var finishOwed = false

    init(id: UInt64, fd: Int32, loop: EventLoop, context: TLSContext) throws(TLSError) {
        self.id = id
        self.fd = fd
        self.loop = loop
        tls = try TLSConnection(context: context, fd: fd)
        let now = monotonicNow()
        handshakeDeadline = now &+ loop.core.handshakeTimeout
        lastActivity = now
    }

    var pendingOutput: Int { out.count - outOffset }

    // MARK: readiness

    func handle(events: UInt32) {
        // HUP/ERR: reset or both directions shut; nothing can be written any more (and
        // level-triggered HUP would otherwise spin while a handler runs).
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            if phase == .handshaking { core.events.tlsHandshakeFailed("connection reset during handshake") }
            close()
            return
        }
        let readable = events & EPOLLIN.rawValue != 0
        let writable = events & EPOLLOUT.rawValue != 0
        if phase == .handshaking {
            doHandshake()
        } else {
            let wasPaused = readPaused
            if writable || (readable && writeWantsRead) { flush() }
            // A resumed reader must look at OpenSSL's buffer itself: epoll cannot see it.
            if phase != .closed && (readable || (writable && readWantsWrite) || (wasPaused && !readPaused)) {
                readAvailable()
            }
        }
        updateInterest()
    }

    private func doHandshake() {
        switch tls.handshake() {
        case .done:
            if tls.alpnProtocol == "h2" {
                do {
                    var settings = HTTP2Session.Settings()
                    settings.maxConcurrentStreams = core.configuration.limits.maxConcurrentStreams
                    settings.maxBodyBytes = core.configuration.limits.maxBodyBytes
                    settings.maxHeaderListBytes = core.configuration.limits.maxHeaderBytes
                    session = try HTTP2Session(settings: settings)
                } catch {
                    core.logger.error("cannot create HTTP/2 session", metadata: ["error": "\(error)"])
                    close()
                    return
                }
                phase = .http2
                core.events.connectionOpened(.http2)
                http2Start()
            } else {
                var limits = HTTP1Limits()
                limits.maxHeaderBytes = core.configuration.limits.maxHeaderBytes
                limits.maxBodyBytes = core.configuration.limits.maxBodyBytes
                parser = HTTP1Parser(limits: limits)
                phase = .http1
                core.events.connectionOpened(.http1)
            }
            lastActivity = monotonicNow()
            if draining { beginDrain() }
            if phase != .closed { readAvailable() }
        case .wantRead:
            interestWanted(read: true, write: false)
        case .wantWrite:
            interestWanted(read: false, write: true)
        case .closed:
            core.events.tlsHandshakeFailed("connection closed during handshake")
            close()
        case let .failed(reason):
            core.events.tlsHandshakeFailed(reason)
            core.logger.debug("TLS handshake failed", metadata: ["error": "\(reason)"])
            close()
        }
    }

    /// Reads until OpenSSL holds nothing more (it may hold records epoll cannot see) or wants
    /// more from the socket.
    func readAvailable() {
        readWantsWrite = false
        while phase == .http1 || phase == .http2, !readClosed, !readPaused {
            let buffer = loop.readBuffer
            switch tls.read(into: buffer) {
            case let .done(n):
                guard n > 0 else { return }
                lastActivity = monotonicNow()
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                if phase == .http1 { http1Received(bytes) } else { http2Received(bytes) }
                // Nothing left inside OpenSSL: the socket's level-triggered EPOLLIN tells us
                // about the rest, so skip the read(2) that would only return EAGAIN.
                if !tls.hasBufferedInput { return }
            case .wantRead:
                return
            case .wantWrite:
                readWantsWrite = true
                return
            case .closed:
                peerClosed()
                return
            case let .failed(reason):
                core.logger.debug("TLS read failed", metadata: ["error": "\(reason)"])
                close()
                return
            }
        }
    }

    /// Back-pressure: stop reading while responses pile up.
    var readPaused: Bool {
        if pendingOutput > 4 * 1024 * 1024 { return true }
        if phase == .http1 {
            return stopParsing || slots.count >= core.configuration.limits.maxPipelinedRequests
        }
        return false
    }

    private func peerClosed() {
        readClosed = true
        if phase == .http1 ? slots.isEmpty : streams.isEmpty { closeAfterFlush = true }
        flush()
    }

    func send(_ bytes: [UInt8]) {
        if out.isEmpty { out = bytes } else { out.append(contentsOf: bytes) }
    }

    /// Pushes `out` into TLS until done or the socket is full.
    func flush() {
        writeWantsRead = false
        while outOffset < out.count, phase != .closed {
            let r = out.withUnsafeBytes { all in
                tls.write(UnsafeRawBufferPointer(rebasing: all[outOffset...]))
            }
            switch r {
            case let .done(n):
                outOffset += n
            case .wantWrite:
                return
            case .wantRead:
                writeWantsRead = true
                return
            case .closed, .failed:
                close()
                return
            }
        }
        if outOffset >= out.count {
            if out.capacity > 256 * 1024 { out = [] } else { out.removeAll(keepingCapacity: true) }
            outOffset = 0
            if closeAfterFlush { close(sendCloseNotify: true) }
        }
    }

    private func interestWanted(read: Bool, write: Bool) {
        var e: UInt32 = 0
        if read { e |= EPOLLIN.rawValue }
        if write { e |= EPOLLOUT.rawValue }
        setInterest(e)
    }

    /// Recomputes what epoll should report, after any change.
    func updateInterest() {
        guard phase != .closed, phase != .handshaking else { return }
        let wantRead = (!readClosed && !readPaused) || writeWantsRead
        let wantWrite = pendingOutput > 0 && !writeWantsRead || readWantsWrite
        interestWanted(read: wantRead, write: wantWrite)
    }

    private func setInterest(_ e: UInt32) {
        guard e != interest, phase != .closed else { return }
        interest = e
        loop.setInterest(fd: fd, id: id, events: e)
    }

    // MARK: timers and lifecycle

    var isIdle: Bool {
        switch phase {
        case .http1: return slots.isEmpty && pendingOutput == 0 && !(parser?.hasPartialRequest ?? false)
        case .http2: return streams.isEmpty && pendingOutput == 0
        default: return false
        }
    }

    func tick(now: Int64) {
        switch phase {
        case .handshaking:
            if now >= handshakeDeadline {
                core.events.tlsHandshakeFailed("handshake timeout")
                close()
            }
            return
        case .http1: http1Tick(now: now)
        case .http2: http2Tick(now: now)
        case .closed: return
        }
        if phase != .closed, isIdle, now &- lastActivity >= core.idleTimeout {
            if phase == .http2 { session?.goAway(); http2Flush() }
            closeAfterFlush = true
            flush()
        }
        updateInterest()
    }

    /// Graceful shutdown: answer what is in flight, accept no more, then close.
    func beginDrain() {
        draining = true
        switch phase {
        case .handshaking: close()
        case .http1: http1Drain()
        case .http2: http2Drain()
        case .closed: return
        }
        updateInterest()
    }

    func close(sendCloseNotify: Bool = false) {
        guard phase != .closed else { return }
        let was = phase
        if sendCloseNotify { tls.shutdown() }
        phase = .closed
        for s in slots { s.task?.cancel() }
        for s in streams.values { s.task.cancel() }
        slots = []
        streams = [:]
        loop.forget(fd: fd, id: id)
        Glibc.close(fd)
        if was == .http1 { core.events.connectionClosed(.http1) }
        if was == .http2 { core.events.connectionClosed(.http2) }
    }

    /// Runs the handler off the loop thread; the answer comes back through the loop's queue.
    func spawnHandler(_ request: HTTPRequest, token: Int64) -> Task<Void, Never> {
        let handler = core.handler
        let loop = self.loop
        let id = self.id
        let executor: any TaskExecutor = request.body.count <= core.configuration.loopHandledBodyLimit
            ? loop : globalConcurrentExecutor
        return Task(executorPreference: executor) {
            let response = await handler.handle(request)
            loop.submit(.response(connection: id, token: token, response))
        }
    }

    /// A handler's answer. On HTTP/2 the frames stay in the session until `finishDeliveries()`,
    /// so answers finished in one loop round go out in one TLS write; returns whether that
    /// finish is owed.
    func deliver(token: Int64, response: HTTPResponse) -> Bool {
        lastActivity = monotonicNow()
        switch phase {
        case .http1:
            let wasPaused = readPaused
            http1Deliver(seq: token, response: response)
            if phase != .closed && wasPaused && !readPaused { readAvailable() }
            updateInterest()
            return false
        case .http2:
            http2Deliver(streamID: Int32(truncatingIfNeeded: token), response: response)
            return true
        default:
            return false
        }
    }

    /// Sends the HTTP/2 answers `deliver` left in the session.
    func finishDeliveries() {
        guard phase == .http2 else { return }
        let wasPaused = readPaused
        http2Flush()
        if phase != .closed && wasPaused && !readPaused { readAvailable() }
        updateInterest()
    }

    static func timeoutResponse(_ deadlineSeconds: Int64) -> HTTPResponse {
        .text(504, "the webhook did not answer within \(deadlineSeconds)s")
    }
}
