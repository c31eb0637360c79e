/// Writes JSON compactly into a byte buffer: members in stored order, numbers as
/// their exact text, `/` not escaped, control characters as `\uXXXX` (or short escapes).
public struct JSONWriter {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Appends the compact text of `value`. Iterative (explicit stack), so deep values are
    /// safe on small thread stacks.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        struct Frame {
            let container: JSONValue
            var next = 0
        }
        var stack: [Frame] = []
        var pending: JSONValue? = value
        while true {
            if let v = pending {
                pending = nil
                switch v {
                case .null: out.append(contentsOf: "null".utf8)
                case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
                case .number(let n): out.append(contentsOf: n.text.utf8)
                case .string(let s): writeString(s, into: &out)
                case .array:
                    out.append(UInt8(ascii: "["))
                    stack.append(Frame(container: v))
                case .object:
                    out.append(UInt8(ascii: "{"))
                    stack.append(Frame(container: v))
                }
            }
            let top = stack.count - 1
            guard top >= 0 else { return }
            let i = stack[top].next
            stack[top].next = i + 1
            switch stack[top].container {
            case .array(let a) where i < a.count:
                if i > 0 { out.append(UInt8(ascii: ",")) }
                pending = a[i]
            case .object(let o) where i < o.members.count:
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(o.members[i].key, into: &out)
                out.append(UInt8(ascii: ":"))
                pending = o.members[i].value
            case .object:
                out.append(UInt8(ascii: "}"))
                stack.removeLast()
            default:
                out.append(UInt8(ascii: "]"))
                stack.removeLast()
            }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `s` as a quoted JSON string.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            while i < utf8.count {
                let b = utf8[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C {
                    i += 1
                    continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
                }
                i += 1
                runStart = i
            }
            if runStart < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text of the value.
    public var description: String { JSONWriter.string(self) }
}
