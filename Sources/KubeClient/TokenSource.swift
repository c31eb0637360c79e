import Glibc
import Synchronization

/// Where the bearer token comes from. A token *file* (the projected service-account token, or a
/// kubeconfig `tokenFile`) is re-read whenever its modification time or size changes — kubelet
/// rotates it in place — and at least once a minute; a failed re-read keeps the last token.
public final class TokenSource: Sendable {
    public enum Origin: Sendable, Equatable {
        case none
        case literal(String)
        case file(String)
    }

    private struct Cached {
        var token: String?
        var stamp: FileStamp?
        var checked: ContinuousClock.Instant?
    }

    public let origin: Origin
    private let cache = Mutex(Cached())
    static let recheckEvery: Duration = .seconds(60)

    public init(_ origin: Origin) { self.origin = origin }

    /// The current token, or nil when no bearer authentication is configured.
    public func token() throws -> String? {
        switch origin {
        case .none: return nil
        case .literal(let t):
            try Self.check(t, from: "the kubeconfig token")
            return t
        case .file(let path):
            let stamp = FileStamp(path: path)
            let now = ContinuousClock.now
            if let cached = cache.withLock({ c -> String? in
                guard let t = c.token, c.stamp == stamp, stamp != nil,
                      let checked = c.checked, checked.duration(to: now) < Self.recheckEvery else { return nil }
                return t
            }) {
                return cached
            }
            do {
                let bytes = try FileReader.read(path, limit: 1 << 20)
                let token = String(decoding: bytes, as: UTF8.self).trimmed(of: " \t\r\n")
                guard !token.isEmpty else { throw KubeError.configuration("token file \(path) is empty") }
                try Self.check(token, from: "token file \(path)")
                cache.withLock { $0 = Cached(token: token, stamp: stamp, checked: now) }
                return token
            } catch {
                if let last = cache.withLock({ $0.token }) { return last }
                throw error
            }
        }
    }

    /// A bearer token goes into a header line: control characters would split it.
    static func check(_ token: String, from what: String) throws {
        if token.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw KubeError.configuration("\(what) contains control characters")
        }
    }

    /// Forgets the cached token so the next call reads the file (after a 401).
    public func invalidate() {
        cache.withLock { $0 = Cached() }
    }
}

/// Modification time and size of a file (following symlinks, as kubelet swaps `..data`).
struct FileStamp: Equatable {
    var seconds: Int
    var nanoseconds: Int
    var size: Int
    var inode: UInt

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        seconds = Int(st.st_mtim.tv_sec)
        nanoseconds = Int(st.st_mtim.tv_nsec)
        size = Int(st.st_size)
        inode = UInt(st.st_ino)
    }
}

/// Whole-file reads for configuration files (startup and token rotation, never per admission).
enum FileReader {
    static func read(_ path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw KubeError.configuration("\(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            guard out.count <= limit else { throw KubeError.configuration("\(path) is larger than \(limit) bytes") }
            if n < chunk.count { break }
        }
        if ferror(f) != 0 { throw KubeError.configuration("\(path): read error") }
        return out
    }
}
