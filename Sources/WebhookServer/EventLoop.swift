import CLinux
import Glibc
import Synchronization
import WebhookHTTP

/// Work handed to a loop from other threads.
enum LoopJob: Sendable {
    /// A handler finished: `token` is the HTTP/1.1 slot sequence or the HTTP/2 stream id.
    case response(connection: UInt64, token: Int64, HTTPResponse)
    /// A slice of a handler task that prefers this loop as its executor.
    case task(UnownedJob)
    /// A socket another loop accepted for this one (it has fewer connections).
    case adopt(fd: Int32)
    case stopAccepting
    case drain
    case stop
}

/// One epoll loop on its own thread. Connections belong to exactly one loop and are touched
/// only on its thread; other threads talk to it through `submit` (Mutex queue + eventfd wakeup).
///
/// The loop is also the task executor of the handlers its connections start (for bodies up to
/// `loopHandledBodyLimit`): a request is parsed, handled and answered on one thread, with no
/// hand-off to the global pool and back (that cost a futex wake, two context switches and
/// cross-thread frees per request).
/// A handler that awaits (a live-cluster GET, a timer) suspends and frees the loop; blocking
/// I/O never runs here (the Kubernetes client does its socket work on threads of its own).
final class EventLoop: @unchecked Sendable, TaskExecutor {
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
        /// The loop has exited: `submit` no longer queues here.
        var closed = false
    }
    let exited = Atomic<Bool>(false)
    /// Connections this loop owns or has been handed and not yet adopted; read by the other
    /// loops when they pick the least busy loop for a new connection.
    let ownedConnections = Atomic<Int>(0)
    /// All loops of the server, this one included: set before the threads start, cleared by
    /// this loop's thread as it exits (the loops refer to each other).
    var peers: [EventLoop] = []
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
        let wake = inbox.withLock { box -> Bool? in
            if box.closed { return nil }
            box.jobs.append(job)
            let w = box.sleeping
            box.sleeping = false
            return w
        }
        switch wake {
        case true?: _ = eventfd_write(wakeFD, 1)
        case false?: break
        case nil: runElsewhere(job)
        }
    }

    /// TaskExecutor: handler tasks started with this loop as their preference run here.
    func enqueue(_ job: consuming ExecutorJob) {
        submit(.task(UnownedJob(job)))
    }

    /// After the loop has exited, a task that still prefers it (one resumed late, after
    /// shutdown) runs on the global pool instead of waiting forever, and a socket handed to it
    /// is closed; other jobs are moot.
    private func runElsewhere(_ job: LoopJob) {
        switch job {
        case let .task(task):
            globalConcurrentExecutor.enqueue(ExecutorJob(task))
        case let .adopt(fd):
            close(fd)
            ownedConnections.wrappingSubtract(1, ordering: .relaxed)
            core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
        default:
            break
        }
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
        let left = inbox.withLock { box -> [LoopJob] in
            box.closed = true
            defer { box.jobs = [] }
            return box.jobs
        }
        for job in left { runElsewhere(job) }
        peers = []
        exited.store(true, ordering: .releasing)
    }

    /// Runs queued jobs, then the jobs those queued (a handler task's answer), a few rounds at
    /// most so I/O is not starved. Returns false only when it found the inbox empty; with
    /// `orSleep` it then marks the loop as sleeping (in the same critical section), so the next
    /// submitter wakes it. True means work may remain: poll I/O without sleeping and come back.
    @discardableResult
    private func runJobs(orSleep: Bool) -> Bool {
        for _ in 0..<Self.jobRounds {
            let found = inbox.withLock { box -> Bool in
                if box.jobs.isEmpty {
                    if orSleep { box.sleeping = true }
                    return false
                }
                swap(&box.jobs, &takenJobs)
                return true
            }
            if !found { return false }
            for job in takenJobs {
                switch job {
                case let .response(id, token, response):
                    if let c = connections[id], c.deliver(token: token, response: response),
                       !c.finishOwed {
                        c.finishOwed = true
                        answered.append(c)
                    }
                case let .task(job):
                    job.runSynchronously(on: asUnownedTaskExecutor())
                case let .adopt(fd):
                    adopt(fd)
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
            takenJobs.removeAll(keepingCapacity: true)
            for c in answered {
                c.finishOwed = false
                c.finishDeliveries()
            }
            answered.removeAll(keepingCapacity: true)
            if !running { break }
        }
        return true
    }
    static let jobRounds = 4
    /// The batch being run; swapped with the inbox's array so neither is reallocated per batch.
    private var takenJobs: [LoopJob] = []
    /// HTTP/2 connections that got answers in the batch being run; flushed once at its end.
    private var answered: [Connection] = []

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
            // Whichever loop wakes first accepts the whole burst; each socket goes to the loop
            // with the fewest connections, so kept-alive connections (the apiserver keeps up to
            // 25) and their handlers spread over all cores instead of piling on one.
            let target = leastBusyLoop()
            target.ownedConnections.wrappingAdd(1, ordering: .relaxed)
            if target === self { adopt(fd) } else { target.submit(.adopt(fd: fd)) }
        }
    }

    private func leastBusyLoop() -> EventLoop {
        var best = self
        var fewest = ownedConnections.load(ordering: .relaxed)
        for loop in peers where loop !== self {
            let n = loop.ownedConnections.load(ordering: .relaxed)
            if n < fewest { best = loop; fewest = n }
        }
        return best
    }

    /// Takes an accepted socket into this loop (counted in `ownedConnections` already).
    private func adopt(_ fd: Int32) {
        if core.draining.load(ordering: .relaxed) {
            dropAdopted(fd)
            core.events.connectionRejected()
            return
        }
        shim_set_nodelay(fd)
        let id = nextID
        nextID &+= 1
        let conn: Connection
        do {
            conn = try Connection(id: id, fd: fd, loop: self, context: core.currentTLSContext)
        } catch {
            core.logger.error("cannot set up TLS session", metadata: ["error": "\(error)"])
            dropAdopted(fd)
            return
        }
        guard shim_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN.rawValue, id) == 0 else {
            dropAdopted(fd)
            return
        }
        connections[id] = conn
    }

    private func dropAdopted(_ fd: Int32) {
        close(fd)
        ownedConnections.wrappingSubtract(1, ordering: .relaxed)
        core.connectionCount.wrappingSubtract(1, ordering: .relaxed)
    }

    func setInterest(fd: Int32, id: UInt64, events: UInt32) {
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, events, id)
    }

    /// Called by the connection as it closes.
    func forget(fd: Int32, id: UInt64) {
        _ = shim_epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0)
        connections[id] = nil
        ownedConnections.wrappingSubtract(1, ordering: .relaxed)
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
