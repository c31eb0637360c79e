/// String scanning: one pass over the bytes that finds the end, validates UTF-8 and decodes
/// escapes; ASCII text is checked eight bytes at a time.
extension JSONParser {
    /// Where a scanned string's text is: in the document (`start..<end`, no escapes) or, when
    /// it had escapes, in `scratch`.
    struct ScannedString {
        var start: Int
        var end: Int
        var escaped: Bool
        var isASCII: Bool
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        let s = try scanString()
        if s.escaped {
            return scratch.withUnsafeBufferPointer { makeString($0, isASCII: s.isASCII) }
        }
        return makeString(UnsafeBufferPointer(rebasing: bytes[s.start..<s.end]), isASCII: s.isASCII)
    }

    /// Parses an object key starting at its opening quote, with its print for the duplicate check.
    mutating func parseKeyString() throws(JSONParseError) -> (String, KeyPrint) {
        let s = try scanString()
        if s.escaped {
            return scratch.withUnsafeBufferPointer { text in
                let print = KeyPrint(text, isASCII: s.isASCII)
                return (makeString(text, print: print), print)
            }
        }
        let text = UnsafeBufferPointer(rebasing: bytes[s.start..<s.end])
        let print = KeyPrint(text, isASCII: s.isASCII)
        return (makeString(text, print: print), print)
    }

    /// A string of already validated UTF-8.
    @inline(__always)
    func makeString(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
        if isASCII && utf8.count <= InternedStrings.maximumLength {
            return makeString(utf8, print: KeyPrint(utf8, isASCII: true))
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// A string of already validated UTF-8 whose print is `print`: a shared one for the common
    /// Kubernetes strings, else a new one.
    @inline(__always)
    func makeString(_ utf8: UnsafeBufferPointer<UInt8>, print: KeyPrint) -> String {
        if let shared = interned.lookup(print, utf8) { return shared }
        if print.isASCII && utf8.count <= 15 {
            // Inline ("small") strings: this initializer checks ASCII on the finished string in
            // one step, where `String(decoding:)` scans the bytes and then copies them.
            return String(unsafeUninitializedCapacity: utf8.count) { target in
                _ = target.initialize(fromContentsOf: utf8)
                return utf8.count
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Scans the string at `position` (its opening quote) and moves past its closing quote.
    ///
    /// Errors are those of the two-pass parser this replaced, in the same order: up to the
    /// first backslash, a control character or a missing closing quote is reported before
    /// invalid UTF-8 in that stretch; after it, each run of plain bytes is checked for invalid
    /// UTF-8 before what ends the run.
    mutating func scanString() throws(JSONParseError) -> ScannedString {
        let openQuote = position
        let start = position + 1
        let n = bytes.count
        var i = start
        var isASCII = true
        var firstInvalid = -1
        while true {
            i = Self.skipPlainASCII(bytes, from: i)
            guard i < n else { throw error("unterminated string", at: openQuote) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                if firstInvalid >= 0 { throw error("invalid UTF-8 in string", at: firstInvalid) }
                position = i + 1
                return ScannedString(start: start, end: i, escaped: false, isASCII: isASCII)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string", at: i) }
            if b < 0x80 { i += 1; continue }
            isASCII = false
            let length = validSequenceLength(at: i)
            if length == 0 {
                if firstInvalid < 0 { firstInvalid = i }
                i += 1
            } else {
                i += length
            }
        }
        if firstInvalid >= 0 { throw error("invalid UTF-8 in string", at: firstInvalid) }
        // Escapes: the text so far, then escapes and plain runs, go to `scratch`.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        position = i
        while true {
            // `position` is at what ended the last run: a backslash, the closing quote, a
            // control character, or the end of the input.
            guard position < n else { throw error("unterminated string", at: openQuote) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b < 0x20 { throw error("control character in string") }
            position += 1
            guard position < n else { throw error("unterminated string", at: openQuote) }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = position - 2
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard position + 1 < n,
                          bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("lone high surrogate in string escape", at: escapeStart)
                    }
                    position += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw error("lone high surrogate in string escape", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw error("lone low surrogate in string escape", at: escapeStart)
                }
                if scalar >= 0x80 { isASCII = false }
                Self.appendUTF8(scalar, to: &scratch)
            default:
                throw error("invalid escape sequence in string", at: position - 2)
            }
            // The plain run up to the next backslash, quote or control character.
            let runStart = position
            var invalid = -1
            i = position
            while true {
                i = Self.skipPlainASCII(bytes, from: i)
                guard i < n else { break }
                let c = bytes[i]
                if c < 0x80 {
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                    i += 1
                    continue
                }
                isASCII = false
                let length = validSequenceLength(at: i)
                if length == 0 {
                    if invalid < 0 { invalid = i }
                    i += 1
                } else {
                    i += length
                }
            }
            if invalid >= 0 { throw error("invalid UTF-8 in string", at: invalid) }
            if runStart < i { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            position = i
        }
        return ScannedString(start: start, end: position - 1, escaped: true, isASCII: isASCII)
    }

    /// The index of the first byte from `i` that is not printable ASCII other than `"` and `\`
    /// (or `bytes.count`), eight bytes at a time where it can.
    @inline(__always)
    static func skipPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let n = bytes.count
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while n - i >= 8 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let quote = w ^ (ones &* 0x22)
                let backslash = w ^ (ones &* 0x5C)
                // Exact for the lowest flagged byte: a borrow only flags bytes above a real hit.
                let flags = (w | ((w &- ones &* 0x20) & ~w)
                    | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs
                if flags != 0 { return i + flags.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return n
    }

    /// The length of the valid UTF-8 sequence whose lead byte (>= 0x80) is at `i`, or 0 when
    /// it is invalid there (stray continuation, overlong form, surrogate, above U+10FFFF, cut short).
    @inline(__always)
    func validSequenceLength(at i: Int) -> Int {
        let b0 = bytes[i]
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard bytes.count - i >= length else { return 0 }
        let b1 = bytes[i + 1]
        guard b1 >= lower && b1 <= upper else { return 0 }
        var k = 2
        while k < length {
            guard bytes[i + k] & 0xC0 == 0x80 else { return 0 }
            k += 1
        }
        return length
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | ((scalar >> 18) & 0x07)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
