import Glibc

/// One version of a file as reached through its symlinks: where it really is and what stat says.
struct FileVersion: Equatable, Sendable {
    var resolvedPath: String
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedNanos: Int64

    /// The file's current version; nil when it cannot be resolved or stat'ed.
    static func current(_ path: String) -> FileVersion? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        var st = stat()
        guard stat(resolved, &st) == 0 else { return nil }
        return FileVersion(resolvedPath: String(cString: resolved), device: UInt64(st.st_dev),
                           inode: UInt64(st.st_ino), size: Int64(st.st_size),
                           modifiedNanos: Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec))
    }

    /// Reads a whole small file (at most `limit` bytes); nil when unreadable or larger.
    static func readContents(_ path: String, limit: Int = 4 * 1024 * 1024) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { return nil }
        }
    }
}
