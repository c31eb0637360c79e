/// A cheap stand-in for an object key in the parser's duplicate check: its length, whether it
/// is ASCII, and its first and last eight bytes. Two ASCII keys are equal exactly when their
/// bytes are, so for ASCII keys of up to 16 bytes equal prints mean equal keys, and different
/// prints always mean different keys. A non-ASCII key is compared as a `String` (canonical
/// equivalence: `"\u{212A}"` (Kelvin sign) equals `"K"`, `"é"` equals `"e\u{301}"`), as
/// member lookup compares it.
struct KeyPrint: Equatable {
    var head: UInt64
    var tail: UInt64
    /// `length << 1 | isASCII`.
    var meta: Int

    init(head: UInt64, tail: UInt64, meta: Int) {
        self.head = head
        self.tail = tail
        self.meta = meta
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        let n = bytes.count
        meta = n << 1 | (isASCII ? 1 : 0)
        guard let p = bytes.baseAddress, n > 0 else {
            head = 0; tail = 0
            return
        }
        if n >= 8 {
            head = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            tail = UnsafeRawPointer(p + (n - 8)).loadUnaligned(as: UInt64.self)
        } else {
            var h: UInt64 = 0
            for i in 0..<n { h |= UInt64(p[i]) << (8 * UInt64(i)) }
            head = h
            tail = 0
        }
    }

    var isASCII: Bool { meta & 1 != 0 }
    var length: Int { meta >> 1 }

    /// Whether the keys behind two prints are equal; `key`/`otherKey` are only read when the
    /// prints cannot decide.
    @inline(__always)
    static func sameKey(_ a: KeyPrint, _ key: String, _ b: KeyPrint, _ otherKey: String) -> Bool {
        if a.meta & b.meta & 1 != 0 {
            guard a == b else { return false }
            return a.length <= 16 || key == otherKey
        }
        return key == otherKey
    }
}
