/// Standard (RFC 4648 §4) padded base64, the encoding the apiserver expects for `patch`.
public enum Base64 {
    private static let alphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the base64 text of `bytes` to `out`.
    ///
    /// The output is sized once and written through a buffer pointer: one `append` per output
    /// byte (capacity and uniqueness checks each time) made this most of the encoder's time
    /// for large patches.
    public static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        let n = bytes.count
        let groups = (n + 2) / 3
        guard groups > 0 else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "="), count: groups * 4))
        out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                alphabet.withUnsafeBufferPointer { a in
                    var i = 0
                    var o = start
                    while n - i >= 3 {
                        let v = Int(source[i]) << 16 | Int(source[i + 1]) << 8 | Int(source[i + 2])
                        target[o] = a[v >> 18 & 0x3F]
                        target[o + 1] = a[v >> 12 & 0x3F]
                        target[o + 2] = a[v >> 6 & 0x3F]
                        target[o + 3] = a[v & 0x3F]
                        i += 3
                        o += 4
                    }
                    // One or two bytes left: two or three characters, the rest stays '='.
                    if n - i == 1 {
                        let v = Int(source[i]) << 16
                        target[o] = a[v >> 18 & 0x3F]
                        target[o + 1] = a[v >> 12 & 0x3F]
                    } else if n - i == 2 {
                        let v = Int(source[i]) << 16 | Int(source[i + 1]) << 8
                        target[o] = a[v >> 18 & 0x3F]
                        target[o + 1] = a[v >> 12 & 0x3F]
                        target[o + 2] = a[v >> 6 & 0x3F]
                    }
                }
            }
        }
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict decoding of padded standard base64 (length a multiple of 4, `=` only at the end);
    /// nil for anything else. Used to check our own output and by tools.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            var v: UInt32 = 0
            var pad = 0
            for k in 0..<4 {
                let c = chars[i + k]
                let d: UInt32
                switch c {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = UInt32(c - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): d = UInt32(c - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): d = 62
                case UInt8(ascii: "/"): d = 63
                case UInt8(ascii: "="):
                    guard isLast, k >= 2 else { return nil }
                    pad += 1
                    d = 0
                default: return nil
                }
                if pad > 0 && c != UInt8(ascii: "=") { return nil }
                v = v << 6 | d
            }
            out.append(UInt8(v >> 16 & 0xFF))
            if pad < 2 { out.append(UInt8(v >> 8 & 0xFF)) }
            if pad < 1 { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return out
    }
}
