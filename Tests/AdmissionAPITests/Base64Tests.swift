import AdmissionAPI
import Testing

struct Base64Tests {
    // RFC 4648 §10 test vectors plus bytes that use '+' and '/'.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func standardAlphabetNotURLSafe() {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
    }

    @Test(arguments: ["Zg", "Zg=", "Zm9v=", "Z===", "Zg==Zg==", "-_-_", "Zm 9v", "=Zm9"])
    func decodeRejectsUnpaddedAndURLSafe(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func roundTripsEveryLength() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base64.encode(bytes)
            #expect(text.utf8.count % 4 == 0)
            #expect(Base64.decode(text) == bytes)
        }
    }

    /// `encode(_:into:)` appends after what the buffer holds (the encoder writes the patch
    /// after the response's other fields), for every tail length.
    @Test(arguments: [0, 1, 2, 3, 4, 5, 300, 301, 302])
    func appendsAfterExistingBytes(_ n: Int) {
        let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 7) }
        var out = Array(#"{"patch":""#.utf8)
        Base64.encode(bytes, into: &out)
        let prefix = Array(#"{"patch":""#.utf8)
        #expect(Array(out.prefix(prefix.count)) == prefix)
        let text = String(decoding: out.dropFirst(prefix.count), as: UTF8.self)
        #expect(text == Base64.encode(bytes))
        #expect(Base64.decode(text) == bytes)
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0..<768).map { UInt8(truncatingIfNeeded: $0) }
        for k in 0..<3 {
            let slice = Array(bytes.dropFirst(k))
            #expect(Base64.decode(Base64.encode(slice)) == slice)
        }
    }
}
