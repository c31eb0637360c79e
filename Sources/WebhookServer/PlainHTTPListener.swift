import CLinux
import Glibc
import Logging
import Synchronization
import WebhookHTTP

/// A small cleartext HTTP/1.1 listener for scrape and probe endpoints (`/metrics`, `/healthz`):
/// one epoll thread, keep-alive, one request at a time per connection, tight limits.
/// Not for admission traffic: no TLS, no HTTP/2, no pipelining window.
public final class PlainHTTPListener: Sendable {
    public struct Configuration: Sendable {
        public var bindAddress: String
        /// 0 picks an ephemeral port.
        public var port: Int
        public var maxConnections = 64
        public var limits = HTTP1Limits(maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024)
        /// A connection with nothing in flight, or with a request still arriving, is closed after this.
        public var idleTimeout: Duration = .seconds(30)
        /// A handler that has not answered by then gets 504 and the connection is closed.
        public var requestTimeout: Duration = .seconds(10)

        public init(bindAddress: String, port: Int) {
            self.bindAddress = bindAddress
            self.port = port
        }
    }

    private struct Running {
        var loop: PlainLoop?
        var thread: pthread_t?
        var port = 0
    }

    public let configuration: Configuration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let state = Mutex(Running())

    public init(configuration: Configuration, handler: any HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
    }

    /// The bound port once started, else 0.
    public var port: Int { state.withLock { $0.port } }

    /// Binds and starts the listener thread; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        shim_ignore_sigpipe()
        return try state.withLock { (s: inout Running) throws -> Int in
            guard s.loop == nil else { throw ServerError("listener already started") }
            let c = configuration
            guard (0...65535).contains(c.port) else { throw ServerError("invalid port \(c.port)") }
            let fd = shim_listen(c.bindAddress, Int32(c.port), 128)
            guard fd >= 0 else {
                let reason = fd == -EINVAL ? "not an IP address" : errnoText(-fd)
                throw ServerError("cannot listen on \(c.bindAddress):\(c.port): \(reason)")
            }
            let loop: PlainLoop
            do {
                loop = try PlainLoop(listenFD: fd, configuration: c, handler: handler, logger: logger)
            } catch {
                Glibc.close(fd)
                throw error
            }
            var tid = pthread_t()
            let arg = Unmanaged.passRetained(loop).toOpaque()
            let rc = pthread_create(&tid, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<PlainLoop>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            }, arg)
            guard rc == 0 else {
                Unmanaged<PlainLoop>.fromOpaque(arg).release()
                throw ServerError("cannot start listener thread: \(errnoText(rc))")
            }
            s = Running(loop: loop, thread: tid, port: Int(shim_local_port(fd)))
            logger.info("plain HTTP listener started", metadata: ["address": "\(c.bindAddress)", "port": "\(s.port)"])
            return s.port
        }
    }

    /// Closes the listener and every connection (in-flight scrapes are abandoned) and joins the thread.
    public func shutdown() async {
        let (loop, thread) = state.withLock { s in (s.loop, s.thread) }
        guard let loop, let thread else { return }
        loop.submit(.stop)
        while !loop.exited.load(ordering: .acquiring) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        pthread_join(thread, nil)
        state.withLock { $0 = Running() }
    }
}

/// The listener's event loop and its connections; touched only on its thread except `submit`.
final class PlainLoop: @unchecked Sendable {
    enum Job: Sendable {
        case response(connection: UInt64, HTTPResponse)
        case stop
    }

    static let listenTag = UInt64.max
    static let wakeTag = UInt64.max - 1

    let configuration: PlainHTTPListener.Configuration
    let handler: any HTTPHandler
    let logger: Logger
    let exited = Atomic<Bool>(false)
    private let listenFD: Int32
    private let epfd: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<[Job]>([])
    private var connections: [UInt64: PlainConnection] = [:]
    private var nextID: UInt64 = 1
    private var running = true
    private let idleNanos: Int64
    private let requestNanos: Int64
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(listenFD: Int32, configuration: PlainHTTPListener.Configuration, handler: any HTTPHandler,
         logger: Logger) throws(ServerError) {
        self.listenFD = listenFD
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        idleNanos = configuration.idleTimeout.nanoseconds
        requestNanos = configuration.requestTimeout.nanoseconds
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw ServerError("epoll_create1: \(errnoText())") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            Glibc.close(epfd)
            throw ServerError("eventfd: \(errnoText())")
        }
        guard shim_epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, Self.wakeTag) == 0,
              shim_epoll_ctl(epfd, EPOLL_CTL_ADD, listenFD, EPOLLIN.rawValue, Self.listenTag) == 0 else {
            Glibc.close(wakeFD); Glibc.close(epfd)
            throw ServerError("epoll_ctl: \(errnoText())")
        }
    }

    deinit {
        Glibc.close(wakeFD)
        Glibc.close(epfd)
    }

    func submit(_ job: Job) {
        let wasEmpty = inbox.withLock { q in
            let e = q.isEmpty
            q.append(job)
            return e
        }
        if wasEmpty { _ = eventfd_write(wakeFD, 1) }
    }

    func run() {
        var tags = [UInt64](repeating: 0, count: 64)
        var evs = [UInt32](repeating: 0, count: 64)
        var nextTick = monotonicNow()
        while running {
            let timeout: Int32 = connections.isEmpty ? -1 : 1000
            let n = tags.withUnsafeMutableBufferPointer { t in
                evs.withUnsafeMutableBufferPointer { e in
                    shim_epoll_wait(epfd, t.baseAddress, e.baseAddress, Int32(t.count), timeout)
                }
            }
            if n < 0 && shim_errno() != EINTR { break }
            var i = 0
            while i < Int(n) {
                let tag = tags[i], ev = evs[i]
                i += 1
                if tag == Self.listenTag {
                    accept()
                } else if tag == Self.wakeTag {
                    var value: eventfd_t = 0
                    _ = eventfd_read(wakeFD, &value)
                    runJobs()
                } else if let c = connections[tag] {
                    handle(c, events: ev)
                }
            }
            let now = monotonicNow()
            if now >= nextTick {
                nextTick = now &+ 1_000_000_000
                for c in Array(connections.values) { tick(c, now: now) }
            }
        }
        for c in Array(connections.values) { close(c) }
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_DEL, listenFD, 0, 0)
        Glibc.close(listenFD)
        exited.store(true, ordering: .releasing)
    }

    private func runJobs() {
        let jobs = inbox.withLock { q in
            let taken = q
            q.removeAll()
            return taken
        }
        for job in jobs {
            switch job {
            case let .response(id, response):
                if let c = connections[id] { deliver(c, response) }
            case .stop:
                running = false
            }
        }
    }

    private func accept() {
        for _ in 0..<16 {
            let fd = shim_accept4(listenFD)
            if fd < 0 { return }
            guard connections.count < configuration.maxConnections else {
                Glibc.close(fd)
                continue
            }
            let id = nextID
            nextID &+= 1
            let c = PlainConnection(id: id, fd: fd, limits: configuration.limits, now: monotonicNow())
            guard shim_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN.rawValue, id) == 0 else {
                Glibc.close(fd)
                continue
            }
            connections[id] = c
        }
    }

    private func handle(_ c: PlainConnection, events: UInt32) {
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            close(c)
            return
        }
        if events & EPOLLOUT.rawValue != 0 { flush(c) }
        if c.isOpen, events & EPOLLIN.rawValue != 0, c.inFlight == nil, !c.closeAfterFlush { read(c) }
        if c.isOpen { updateInterest(c) }
    }

    /// One read per readiness event (level-triggered epoll reports the rest), then parse.
    private func read(_ c: PlainConnection) {
        var n = 0
        repeat {
            n = buffer.withUnsafeMutableBytes { b in Glibc.read(c.fd, b.baseAddress, b.count) }
        } while n < 0 && shim_errno() == EINTR
        if n > 0 {
            c.lastActivity = monotonicNow()
            buffer.withUnsafeBytes { b in c.parser.append(UnsafeRawBufferPointer(rebasing: b[0..<n])) }
        } else if n == 0 {
            c.peerClosed = true
        } else if shim_errno() != EAGAIN && shim_errno() != EWOULDBLOCK {
            close(c)
            return
        }
        process(c)
        if c.isOpen, c.peerClosed, c.inFlight == nil, c.pendingOutput == 0 { close(c) }
    }

    /// Takes the next parsed request, if nothing is in flight.
    private func process(_ c: PlainConnection) {
        while c.isOpen, c.inFlight == nil, !c.closeAfterFlush, let event = c.parser.next() {
            switch event {
            case let .request(request, keepAlive):
                c.keepAlive = keepAlive && !c.peerClosed
                c.inFlight = spawn(request, connection: c.id)
                c.requestDeadline = monotonicNow() &+ requestNanos
            case .sendContinue:
                c.out.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
            case let .error(status, message):
                HTTP1Serializer.write(.text(status, message), keepAlive: false, into: &c.out)
                c.closeAfterFlush = true
            }
        }
        flush(c)
    }

    private func spawn(_ request: HTTPRequest, connection id: UInt64) -> Task<Void, Never> {
        let handler = self.handler
        return Task { [self] in
            let response = await handler.handle(request)
            submit(.response(connection: id, response))
        }
    }

    private func deliver(_ c: PlainConnection, _ response: HTTPResponse) {
        guard c.inFlight != nil else { return }
        c.inFlight = nil
        c.requestDeadline = nil
        c.lastActivity = monotonicNow()
        let keep = c.keepAlive && running
        HTTP1Serializer.write(response, keepAlive: keep, into: &c.out)
        if !keep { c.closeAfterFlush = true }
        process(c)
        if c.isOpen, c.peerClosed, c.inFlight == nil, c.pendingOutput == 0 { close(c) }
        if c.isOpen { updateInterest(c) }
    }

    private func flush(_ c: PlainConnection) {
        while c.pendingOutput > 0 {
            let n = c.out.withUnsafeBytes { b in
                Glibc.write(c.fd, b.baseAddress.map { $0 + c.outOffset }, c.pendingOutput)
            }
            if n > 0 {
                c.outOffset += n
                continue
            }
            let e = shim_errno()
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) { return }
            close(c)
            return
        }
        c.out.removeAll(keepingCapacity: c.out.capacity <= 64 * 1024)
        c.outOffset = 0
        if c.closeAfterFlush { close(c) }
    }

    private func updateInterest(_ c: PlainConnection) {
        var e: UInt32 = 0
        if c.inFlight == nil && !c.closeAfterFlush && !c.peerClosed { e |= EPOLLIN.rawValue }
        if c.pendingOutput > 0 { e |= EPOLLOUT.rawValue }
        guard e != c.interest else { return }
        c.interest = e
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, e, c.id)
    }

    private func tick(_ c: PlainConnection, now: Int64) {
        if let deadline = c.requestDeadline {
            if now >= deadline {
                c.inFlight?.cancel()
                c.inFlight = nil
                c.requestDeadline = nil
                HTTP1Serializer.write(.text(504, "no answer in time"), keepAlive: false, into: &c.out)
                c.closeAfterFlush = true
                flush(c)
            }
            return
        }
        if now &- c.lastActivity >= idleNanos { close(c) }
    }

    private func close(_ c: PlainConnection) {
        guard c.isOpen else { return }
        c.isOpen = false
        c.inFlight?.cancel()
        c.inFlight = nil
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, 0, 0)
        Glibc.close(c.fd)
        connections[c.id] = nil
    }
}

/// One cleartext connection's state, owned by the loop thread.
final class PlainConnection {
    let id: UInt64
    let fd: Int32
    var parser: HTTP1Parser
    var out: [UInt8] = []
    var outOffset = 0
    var inFlight: Task<Void, Never>?
    var requestDeadline: Int64?
    var keepAlive = true
    var closeAfterFlush = false
    var peerClosed = false
    var isOpen = true
    var interest = EPOLLIN.rawValue
    var lastActivity: Int64

    init(id: UInt64, fd: Int32, limits: HTTP1Limits, now: Int64) {
        self.id = id
        self.fd = fd
        parser = HTTP1Parser(limits: limits)
        lastActivity = now
    }

    var pendingOutput: Int { out.count - outOffset }
}
