import COpenSSL

/// The names a certificate claims: its subject common name and subject alternative names.
public struct PeerIdentity: Sendable, Equatable {
    /// Subject CN (nil when the subject has none).
    public var commonName: String?
    /// DNS, email and URI SANs as written; IP SANs as dotted/colon text.
    public var alternativeNames: [String]

    public init(commonName: String?, alternativeNames: [String]) {
        self.commonName = commonName
        self.alternativeNames = alternativeNames
    }

    /// Every name, CN first.
    public var allNames: [String] { (commonName.map { [$0] } ?? []) + alternativeNames }

    /// Whether any of the certificate's names is in `allowed` (ASCII case-insensitive, no wildcards).
    public func matches(anyOf allowed: [String]) -> Bool {
        let names = allNames.map(Self.lowercasedASCII)
        return allowed.contains { names.contains(Self.lowercasedASCII($0)) }
    }

    static func lowercasedASCII(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Reads the names of an `X509*` (not consumed).
    init(certificate cert: OpaquePointer) {
        commonName = Self.commonName(cert)
        alternativeNames = Self.alternativeNames(cert)
    }

    private static func commonName(_ cert: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(cert) else { return nil }
        let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(subject, index),
              let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>? = nil
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { shim_OPENSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    private static func alternativeNames(_ cert: OpaquePointer) -> [String] {
        guard let names = shim_X509_subject_alt_names(cert) else { return [] }
        defer { shim_GENERAL_NAMES_free(names) }
        var out: [String] = []
        let count = shim_general_names_count(names)
        var i: Int32 = 0
        while i < count {
            defer { i += 1 }
            guard let name = shim_general_names_at(names, i) else { continue }
            var type: Int32 = 0
            guard let value = GENERAL_NAME_get0_value(name, &type) else { continue }
            let string = value.assumingMemoryBound(to: ASN1_STRING.self)
            guard let bytes = ASN1_STRING_get0_data(string) else { continue }
            let length = Int(ASN1_STRING_length(string))
            guard length >= 0 else { continue }
            let buffer = UnsafeBufferPointer(start: bytes, count: length)
            switch type {
            case GEN_DNS, GEN_EMAIL, GEN_URI:
                out.append(String(decoding: buffer, as: UTF8.self))
            case GEN_IPADD:
                if let text = ipText(buffer) { out.append(text) }
            default:
                continue
            }
        }
        return out
    }

    /// 4 bytes → `a.b.c.d`; 16 bytes → eight colon-separated hex groups (not compressed).
    static func ipText(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        if b.count == 4 { return b.map { String($0) }.joined(separator: ".") }
        guard b.count == 16 else { return nil }
        var groups: [String] = []
        var j = 0
        while j < 16 {
            groups.append(String(UInt16(b[j]) << 8 | UInt16(b[j + 1]), radix: 16))
            j += 2
        }
        return groups.joined(separator: ":")
    }
}
