import COpenSSL

/// Drains OpenSSL's thread-local error queue into one readable line ("" when empty).
func drainOpenSSLErrors() -> String {
    var parts: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buf = [CChar](repeating: 0, count: 256)
        let text = buf.withUnsafeMutableBufferPointer { p -> String in
            guard let base = p.baseAddress else { return "" }
            ERR_error_string_n(code, base, p.count)
            return String(cString: base)
        }
        parts.append(text)
    }
    return parts.joined(separator: "; ")
}
