import CLinux
import Glibc
import Logging
import Synchronization
import WebhookHTTP
import WebhookTLS

/// The HTTPS server: one listening socket shared by `configuration.loops` epoll threads,
/// HTTP/1.1 and HTTP/2 over TLS; each handler runs as a task on the loop that owns its connection.
public final class HTTPServer: Sendable {
    private struct Running {
        var listenFD: Int32 = -1
        var loops: [EventLoop] = []
        var threads: [pthread_t] = []
        var port = 0
    }

    private let core: ServerCore
    private let state = Mutex(Running())
    private let listening = Atomic<Bool>(false)

    /// Builds the TLS context from `configuration.tls` (throws `TLSError` with a clear message).
    public convenience init(configuration: ServerConfiguration, handler: any HTTPHandler,
                            logger: Logger, events: (any ServerEvents)? = nil) throws {
        let context = try TLSContext(configuration: configuration.tls)
        self.init(configuration: configuration, tlsContext: context, handler: handler,
                  logger: logger, events: events)
    }

    public init(configuration: ServerConfiguration, tlsContext: TLSContext, handler: any HTTPHandler,
                logger: Logger, events: (any ServerEvents)? = nil) {
        core = ServerCore(configuration: configuration, tlsContext: tlsContext, handler: handler,
                          logger: logger, events: events ?? NoServerEvents())
    }

    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Open connections (including those still handshaking).
    public var connectionCount: Int { core.connectionCount.load(ordering: .relaxed) }

    /// The context for new handshakes from now on; live connections keep theirs.
    public func replaceTLSContext(_ context: TLSContext) {
        core.tlsContext.withLock { $0 = context }
    }

    /// Binds, starts the loops and returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws -> Int {
        shim_ignore_sigpipe()
        return try state.withLock { (s: inout Running) throws -> Int in
            guard s.loops.isEmpty else { throw ServerError("server already started") }
            let c = core.configuration
            guard (0...65535).contains(c.port) else { throw ServerError("invalid port \(c.port)") }
            let fd = shim_listen(c.bindAddress, Int32(c.port), Int32(clamping: c.listenBacklog))
            guard fd >= 0 else {
                let reason = fd == -EINVAL ? "not an IP address" : errnoText(-fd)
                throw ServerError("cannot listen on \(c.bindAddress):\(c.port): \(reason)")
            }
            var loops: [EventLoop] = []
            do {
                for i in 0..<c.loops { loops.append(try EventLoop(core: core, index: i, listenFD: fd)) }
            } catch {
                Glibc.close(fd)
                throw error
            }
            for loop in loops { loop.peers = loops }
            var threads: [pthread_t] = []
            for loop in loops {
                var tid = pthread_t()
                let arg = Unmanaged.passRetained(loop).toOpaque()
                let rc = pthread_create(&tid, nil, { raw in
                    guard let raw else { return nil }
                    let loop = Unmanaged<EventLoop>.fromOpaque(raw).takeRetainedValue()
                    // Named for top -H, perf and gdb: which thread is which loop.
                    _ = shim_set_thread_name("evloop-\(loop.index % 100_000)")
                    loop.run()
                    return nil
                }, arg)
                if rc != 0 {
                    Unmanaged<EventLoop>.fromOpaque(arg).release()
                    for l in loops { l.submit(.stop) }
                    for t in threads { pthread_join(t, nil) }
                    Glibc.close(fd)
                    throw ServerError("cannot start event loop thread: \(errnoText(rc))")
                }
                threads.append(tid)
            }
            s = Running(listenFD: fd, loops: loops, threads: threads, port: Int(shim_local_port(fd)))
            listening.store(true, ordering: .releasing)
            core.logger.info("listening", metadata: ["address": "\(c.bindAddress)", "port": "\(s.port)",
                                                     "loops": "\(c.loops)"])
            return s.port
        }
    }

    /// Stops accepting, lets in-flight requests finish (HTTP/2 gets GOAWAY, idle keep-alives
    /// are closed) for at most `grace`, then closes whatever is left and stops the loops.
    public func shutdown(grace: Duration = .seconds(10)) async {
        let loops = state.withLock { $0.loops }
        guard !loops.isEmpty else { return }
        core.draining.store(true, ordering: .relaxed)
        listening.store(false, ordering: .releasing)
        for l in loops { l.submit(.drain) }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: grace)
        // Close the listener once no loop polls it, so new clients are refused rather than queued.
        while !loops.allSatisfy({ $0.acceptStopped.load(ordering: .acquiring) }) && clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if loops.allSatisfy({ $0.acceptStopped.load(ordering: .acquiring) }) {
            state.withLock { s in
                if s.listenFD >= 0 { Glibc.close(s.listenFD); s.listenFD = -1 }
            }
        }
        while core.connectionCount.load(ordering: .relaxed) > 0 && clock.now < end {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for l in loops { l.submit(.stop) }
        while !loops.allSatisfy({ $0.exited.load(ordering: .acquiring) }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let (threads, fd) = state.withLock { s -> ([pthread_t], Int32) in
            let r = (s.threads, s.listenFD)
            s = Running()
            return r
        }
        for t in threads { pthread_join(t, nil) }
        if fd >= 0 { Glibc.close(fd) }
        core.logger.info("server stopped")
    }
}
