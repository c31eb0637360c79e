import WebhookHTTP

/// Writes an HTTP/1.1 response. Framing headers (`content-length`, `transfer-encoding`,
/// `connection`) from the handler are dropped: the transport alone decides framing.
/// No `date` header is written; add one to the response headers if wanted.
public enum HTTP1Serializer {
    public static func write(_ response: HTTPResponse, keepAlive: Bool, into out: inout [UInt8]) {
        let status = response.status
        // RFC 9110 §6.4.1, §8.6: 1xx, 204 and 304 carry no content and no content-length.
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        out.reserveCapacity(out.count + 128 + response.body.count)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(SP)
        out.append(contentsOf: HTTPResponse.reasonPhrase(status).utf8)
        out.append(CR); out.append(LF)
        for field in response.headers {
            if HTTPHeaders.equalsIgnoringCase(field.name, "content-length")
                || HTTPHeaders.equalsIgnoringCase(field.name, "transfer-encoding")
                || HTTPHeaders.equalsIgnoringCase(field.name, "connection") { continue }
            appendSanitized(field.name, to: &out)
            out.append(COLON); out.append(SP)
            appendSanitized(field.value, to: &out)
            out.append(CR); out.append(LF)
        }
        if bodyAllowed {
            out.append(contentsOf: "content-length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(CR); out.append(LF)
        }
        if !keepAlive { out.append(contentsOf: "connection: close\r\n".utf8) }
        out.append(CR); out.append(LF)
        if bodyAllowed { out.append(contentsOf: response.body) }
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 { out.append(UInt8(value) &+ 0x30); return }
        out.append(contentsOf: String(value).utf8)
    }

    /// A CR, LF or NUL in a handler-made header would split the response: write a space instead.
    private static func appendSanitized(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 == CR || $0 == LF || $0 == 0 }) {
            out.append(contentsOf: utf8)
            return
        }
        for c in utf8 { out.append(c == CR || c == LF || c == 0 ? SP : c) }
    }
}
