/// A `host:port` to listen on: `:8944` (every IPv4 address), `127.0.0.1:8944`, `[::1]:8944`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses the flag form; the error says what is wrong in one line.
    public init(parsing text: String) throws(ServeSettingsError) {
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")) else {
            throw ServeSettingsError("\"\(text)\" is not host:port or :port")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port), portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ServeSettingsError("\"\(text)\": port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw ServeSettingsError("\"\(text)\": write an IPv6 address in brackets, e.g. [::1]:\(port)")
        }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A configuration mistake found before listening (the command exits 2 with `message`).
public struct ServeSettingsError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
