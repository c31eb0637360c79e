#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where finished log lines go. Each call receives exactly one line, newline included.
public struct LogSink: Sendable {
    public let write: @Sendable ([UInt8]) -> Void

    public init(_ write: @escaping @Sendable ([UInt8]) -> Void) { self.write = write }

    /// Standard error, one locked `write(2)` loop per line so lines never interleave.
    public static let standardError = LogSink(FileDescriptorWriter(fd: 2).write)
}

/// Serialises whole lines onto a file descriptor; retries short writes and EINTR, drops on other errors.
final class FileDescriptorWriter: Sendable {
    private let fd: Mutex<Int32>

    init(fd: Int32) { self.fd = Mutex(fd) }

    func write(_ line: [UInt8]) {
        fd.withLock { fd in
            line.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var offset = 0
                while offset < raw.count {
                    #if canImport(Glibc)
                    let n = Glibc.write(fd, base + offset, raw.count - offset)
                    #else
                    let n = Darwin.write(fd, base + offset, raw.count - offset)
                    #endif
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
                }
            }
        }
    }
}
