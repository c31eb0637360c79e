import Logging

/// One JSON object per line:
/// `{"ts":"2026-11-22T07:00:00.123Z","level":"info","logger":"…","msg":"…",<metadata, sorted, flattened>}`.
/// Metadata keys that would clash with the four fixed fields are written with a `meta.` prefix.
public struct JSONLogHandler: LogHandler {
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
        line.reserveCapacity(256)
        line.append(contentsOf: #"{"ts":""#.utf8)
        clock().appendRFC3339(to: &line)
        line.append(contentsOf: #"","level":"#.utf8)
        JSONEscaping.appendString(event.level.rawValue, to: &line)
        line.append(contentsOf: #","logger":"#.utf8)
        JSONEscaping.appendString(label, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        JSONEscaping.appendString(event.message.description, to: &line)
        let fields = LogFields.collect(handler: metadata, provider: metadataProvider,
                                       event: event.metadata, error: event.error)
        for (key, value) in fields {
            line.append(UInt8(ascii: ","))
            let reserved = key == "ts" || key == "level" || key == "logger" || key == "msg"
            JSONEscaping.appendString(reserved ? "meta." + key : key, to: &line)
            line.append(UInt8(ascii: ":"))
            switch value {
            case .text(let s): JSONEscaping.appendString(s, to: &line)
            case .list(let items): JSONEscaping.appendArray(items, to: &line)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        sink.write(line)
    }
}

enum JSONEscaping {
    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslash and every control character escaped.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendArray(_ items: [Logger.Metadata.Value], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendValue(item, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendValue(_ value: Logger.Metadata.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let s): appendString(s, to: &out)
        case .stringConvertible(let c): appendString(c.description, to: &out)
        case .array(let a): appendArray(a, to: &out)
        case .dictionary(let d):
            out.append(UInt8(ascii: "{"))
            for (i, entry) in d.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendString(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendValue(entry.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
