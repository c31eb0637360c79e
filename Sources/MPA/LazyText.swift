/// A file's bytes, decoded to text only when an error needs a line number.
struct LazyText: Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
