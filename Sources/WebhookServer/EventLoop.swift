import CLinux
import Glibc
import Synchronization
import WebhookHTTP

/// Work handed to a loop from other threads.
enum LoopJob: Sendable {
    /// A handler finished: `token` is the HTTP/1.1 slot sequence or the HTTP/2 stream id.
    case response(connection: UInt64, token: Int64, HTTPResponse)
    case stopAccepting
    case drain
    case stop
}

/// One epoll loop on its own thread. Connections belong to exactly one loop and are touched
/// only on its thread; other threads talk to it through `submit` (Mutex queue + eventfd wakeup).
final class EventLoop: @unchecked Sendable {
    static let listenTag = UInt64.max
    static let wakeTag = UInt64.max - 1
    static let tickNanos: Int64 = 100_000_000

    let core: ServerCore
    let index: Int
    private let epfd: Int32
    private let wakeFD: Int32
    /// Jobs from other threads, and whether the loop is (about to be) blocked in epoll_wait.
    private let inbox = Mutex<Inbox>(Inbox())
    struct Inbox {
        var jobs: [LoopJob] = []
        /// Set by the loop, under the lock, only when it found `jobs` empty and is going to
        /// sleep; cleared by the first submitter, which then writes the eventfd.
        var sleeping = false
    }
    let exited = Atomic<Bool>(false)
    /// The listening socket is out of this loop's epoll set (it may then be closed safely).
    let acceptStopped = Atomic<Bool>(false)

    // Loop-thread state.
    private var listenFD: Int32
    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 1
    private var running = true
    private var nextTick: Int64 = 0
    let readBuffer: UnsafeMutableRawBufferPointer

    init(core: ServerCore, index: Int, listenFD: Int32) throws(ServerError) {
        self.core = core
        self.index = index
        self.listenFD = listenFD
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw ServerError("epoll_create1: \(errnoText())") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            close(epfd)
            throw ServerError("eventfd: \(errnoText())")
        }
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, EPOLLIN.rawValue, Self.wakeTag)
        // EPOLLEXCLUSIVE: one listening socket shared by all loops without a thundering herd.
        guard shim_epoll_ctl(epfd, EPOLL_CTL_ADD, listenFD, EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue,
                             Self.listenTag) == 0 else {
            close(wakeFD); close(epfd); readBuffer.deallocate()
            throw ServerError("epoll_ctl(listen): \(errnoText())")
        }
    }

    deinit {
        close(wakeFD)
        close(epfd)
        readBuffer.deallocate()
    }

    /// Thread-safe: queue a job and wake the loop if it is sleeping. A loop that is awake
    /// takes the job before its next epoll_wait, so no eventfd write is needed then.
    func submit(_ job: LoopJob) {
        let wake = inbox.withLock { box in
            box.jobs.append(job)
            let w = box.sleeping
            box.sleeping = false
            return w
        }
        if wake { _ = eventfd_write(wakeFD, 1) }
    }

    func run() {
        var tags = [UInt64](repeating: 0, count: 128)
        var evs = [UInt32](repeating: 0, count: 128)
        while running {
            // An idle loop still wakes once a second so its heartbeat shows it is alive.
            var timeout: Int32 = connections.isEmpty ? 1000 : Int32(Self.tickNanos / 1_000_000)
            // Jobs queued while we were awake are run now; only an empty inbox lets us sleep.
            if runJobs(orSleep: true) { timeout = 0 }
            if !running { break }
            let n = tags.withUnsafeMutableBufferPointer { t in
                evs.withUnsafeMutableBufferPointer { e in
                    shim_epoll_wait(epfd, t.baseAddress, e.baseAddress, Int32(t.count), timeout)
                }
            }
            if timeout != 0 { inbox.withLock { $0.sleeping = false } }
            if n < 0 && shim_errno() != EINTR { break }
            var i = 0
            while i < Int(n) {
                let tag = tags[i], ev = evs[i]
                i += 1
                if tag == Self.listenTag {
                    acceptConnections()
                } else if tag == Self.wakeTag {
                    var value: eventfd_t = 0
                    _ = eventfd_read(wakeFD, &value)
                    _ = runJobs(orSleep: false)
                } else if let c = connections[tag] {
                    c.handle(events: ev)
                }
            }
            core.events.loopHeartbeat(loop: index)
            let now = monotonicNow()
            if now >= nextTick {
                nextTick = now &+ Self.tickNanos
                for c in Array(connections.values) { c.tick(now: now) }
            }
        }
        for c in Array(connections.values) { c.close() }
        exited.store(true, ordering: .releasing)
    }

    /// Runs queued jobs; returns whether there were any. With `orSleep`, an empty inbox marks
    /// the loop as sleeping (in the same critical section), so the next submitter wakes it.
    @discardableResult
    private func runJobs(orSleep: Bool) -> Bool {
        let jobs = inbox.withLock { box -> [LoopJob] in
            if box.jobs.isEmpty {
                if orSleep { box.sleeping = true }
                return []
            }
            let taken = box.jobs
            box.jobs.removeAll()
            return taken
        }
        if jobs.isEmpty { return false }
        for job in jobs {
            switch job {
            case let .response(id, token, response):
                connections[id]?.deliver(token: token, response: response)
            case .stopAccepting:
                stopAccepting()
            case .drain:
                stopAccepting()
                for c in Array(connections.values) { c.beginDrain() }
            case .stop:
                stopAccepting()
                running = false
            }
        }
        return true
    }

    private func stopAccepting() {
        guard listenFD >= 0 else { return }
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_DEL, listenFD, 0, 0)
        listenFD = -1
        acceptStopped.store(true, ordering: .releasing)
    }

    private func acceptConnections() {
        guard listenFD >= 0 else { return }
        for _ in 0..<64 {
            let fd = shim_accept4(listenFD)
            if fd < 0 {
                let e = shim_errno()
                if e != EAGAIN && e != EWOULDBLOCK && e != ECONNABORTED && e != EINTR {
                    core.logger.warning("accept failed", metadata: ["error": "\(errnoText(e))"])
                }
                return
            }
            let count = core.connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
            if count > core.configuration.maxConnections || core.draining.load(ordering: .relaxed) {
                core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
                close(fd)
                core.events.connectionRejected()
                continue
            }
            shim_set_nodelay(fd)
            let id = nextID
            nextID &+= 1
            let conn: Connection
            do {
                conn = try Connection(id: id, fd: fd, loop: self, context: core.currentTLSContext)
            } catch {
                core.logger.error("cannot set up TLS session", metadata: ["error": "\(error)"])
                core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
                close(fd)
                continue
            }
            guard shim_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN.rawValue, id) == 0 else {
                core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
                close(fd)
                continue
            }
            connections[id] = conn
        }
    }

    func setInterest(fd: Int32, id: UInt64, events: UInt32) {
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, events, id)
    }

    /// Called by the connection as it closes.
    func forget(fd: Int32, id: UInt64) {
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0)
        connections[id] = nil
        core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
    }
}

func monotonicNow() -> Int64 { shim_monotonic_ns() }

func errnoText(_ e: Int32 = shim_errno()) -> String { String(cString: strerror(e)) }

/// Socket-level failures (bind, listen, epoll).
public struct ServerError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
