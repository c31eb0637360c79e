import Foundation

/// A one-line error for the command line.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Startup/CLI-only file reading (Foundation is fine off the request path).
enum FileInput {
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read file")
        }
        return [UInt8](data)
    }
}

enum StandardStreams {
    static func writeOut(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes + [0x0A]))
    }

    static func writeErr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
