import Logging

/// One human-readable line per event: `2026-11-22T07:00:00.123Z INFO msg key=value …`
/// (logfmt-style: values with spaces, quotes, `=` or control characters are quoted and escaped;
/// control characters in the message are escaped so an event never spans lines).
public struct TextLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogSink
    private let clock: @Sendable () -> WallTime

    public init(label: String, level: Logger.Level = .info, sink: LogSink = .standardError,
                metadataProvider: Logger.MetadataProvider? = nil,
                clock: @escaping @Sendable () -> WallTime = WallTime.now) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(160)
        clock().appendRFC3339(to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.uppercased().utf8)
        line.append(UInt8(ascii: " "))
        TextEscaping.appendMessage(event.message.description, to: &line)
        let fields = LogFields.collect(handler: metadata, provider: metadataProvider,
                                       event: event.metadata, error: event.error)
        for (key, value) in fields {
            line.append(UInt8(ascii: " "))
            TextEscaping.appendKey(key, to: &line)
            line.append(UInt8(ascii: "="))
            switch value {
            case .text(let s): TextEscaping.appendValue(s, to: &line)
            case .list(let items): TextEscaping.appendValue(LogFields.plain(.array(items)), to: &line)
            }
        }
        line.append(UInt8(ascii: "\n"))
        sink.write(line)
    }
}

enum TextEscaping {
    private static let hex = Array("0123456789abcdef".utf8)

    static func appendMessage(_ s: String, to out: inout [UInt8]) {
        for byte in s.utf8 { appendEscaped(byte, quoteQuotes: false, to: &out) }
    }

    /// Keys never need quoting: anything but `[A-Za-z0-9_.-]` becomes `_`.
    static func appendKey(_ s: String, to out: inout [UInt8]) {
        if s.isEmpty { out.append(UInt8(ascii: "_")); return }
        for byte in s.utf8 {
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            out.append(ok ? byte : UInt8(ascii: "_"))
        }
    }

    static func appendValue(_ s: String, to out: inout [UInt8]) {
        let needsQuotes = s.isEmpty || s.utf8.contains {
            $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\\")
        }
        guard needsQuotes else { out.append(contentsOf: s.utf8); return }
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 { appendEscaped(byte, quoteQuotes: true, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, quoteQuotes: Bool, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\"") where quoteQuotes: out.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\") where quoteQuotes: out.append(contentsOf: #"\\"#.utf8)
        case 0x0A: out.append(contentsOf: #"\n"#.utf8)
        case 0x0D: out.append(contentsOf: #"\r"#.utf8)
        case 0x09: out.append(contentsOf: #"\t"#.utf8)
        case 0x00..<0x20, 0x7F:
            out.append(contentsOf: #"\x"#.utf8)
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        default: out.append(byte)
        }
    }
}
