import Synchronization
import WebhookTLS

/// Watches the certificate, key and client-CA files of a `TLSConfiguration` by polling and builds
/// a new `TLSContext` when they change. Kubernetes Secret volumes swap a `..data` symlink, so each
/// path is resolved through its symlinks on every poll: a swap changes the resolved path and inode
/// even when the visible path stays the same.
///
/// A change is noticed by (resolved path, device, inode, size, mtime); the files are then read and
/// hashed, and a context is built only when the content differs from the last attempt. A pair that
/// does not load (bad PEM, key not matching) is reported once and the old context stays in use;
/// files still changing while the context was being built are looked at again on the next poll.
public final class CertificateReloader: Sendable {
    public enum Event: Sendable {
        /// The new context is in use for new handshakes.
        case reloaded(TLSContext)
        /// The new files do not make a usable context; the previous one stays.
        case failed(String)
    }

    private struct Seen {
        var versions: [FileVersion?] = []
        var contentHash: UInt64 = 0
        var task: Task<Void, Never>?
    }

    public let configuration: TLSConfiguration
    public let interval: Duration
    private let apply: @Sendable (TLSContext) -> Void
    private let report: @Sendable (Event) -> Void
    private let seen = Mutex(Seen())

    /// - Parameters:
    ///   - apply: installs a new context (e.g. `HTTPServer.replaceTLSContext`).
    ///   - report: told about every reload attempt, after `apply`.
    public init(configuration: TLSConfiguration, interval: Duration = .seconds(2),
                apply: @escaping @Sendable (TLSContext) -> Void,
                report: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.configuration = configuration
        self.interval = interval
        self.apply = apply
        self.report = report
    }

    /// The watched paths: certificate, key, then the client CA when configured.
    public var paths: [String] {
        [configuration.certificateFile, configuration.privateKeyFile] + (configuration.clientCAFile.map { [$0] } ?? [])
    }

    /// Builds the first context and remembers the files it came from (nothing is applied or reported).
    public func loadInitial() throws(TLSError) -> TLSContext {
        let versions = paths.map(FileVersion.current)
        let hash = Self.contentHash(paths)
        let context = try TLSContext(configuration: configuration)
        seen.withLock {
            $0.versions = versions
            $0.contentHash = hash
        }
        return context
    }

    /// Looks at the files once; returns what happened, nil when there was nothing to do.
    @discardableResult
    public func poll() -> Event? {
        let paths = self.paths
        let event: Event? = seen.withLock { (s: inout Seen) -> Event? in
            let versions = paths.map(FileVersion.current)
            guard versions != s.versions else { return nil }
            let hash = Self.contentHash(paths)
            guard hash != s.contentHash else {
                s.versions = versions
                return nil
            }
            let result: Event
            do {
                result = .reloaded(try TLSContext(configuration: configuration))
            } catch {
                result = .failed("\(error)")
            }
            // Files swapped while we read them: decide on the next poll, with a settled view.
            guard paths.map(FileVersion.current) == versions, Self.contentHash(paths) == hash else { return nil }
            s.versions = versions
            s.contentHash = hash
            return result
        }
        if let event {
            if case .reloaded(let context) = event { apply(context) }
            report(event)
        }
        return event
    }

    /// Polls every `interval` until `stop()`.
    public func start() {
        seen.withLock { s in
            guard s.task == nil else { return }
            let interval = self.interval
            s.task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled, let self else { return }
                    self.poll()
                }
            }
        }
    }

    public func stop() {
        let task = seen.withLock { s -> Task<Void, Never>? in
            let t = s.task
            s.task = nil
            return t
        }
        task?.cancel()
    }

    /// FNV-1a over every file's bytes (an unreadable file hashes as a marker), lengths included.
    static func contentHash(_ paths: [String]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        for path in paths {
            if let bytes = FileVersion.readContents(path) {
                for b in bytes { mix(b) }
                var n = UInt64(bytes.count)
                for _ in 0..<8 { mix(UInt8(truncatingIfNeeded: n)); n >>= 8 }
            } else {
                for b in "\u{0}unreadable\u{0}".utf8 { mix(b) }
            }
        }
        return h
    }
}
