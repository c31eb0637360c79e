import COpenSSL

extension TLSContext {
    /// The serving (leaf) certificate's notAfter as Unix seconds; nil if OpenSSL cannot say.
    public var certificateNotAfter: Int64? {
        guard let cert = SSL_CTX_get0_certificate(ctx), let notAfter = X509_get0_notAfter(cert) else { return nil }
        return Self.unixSeconds(notAfter)
    }

    /// The serving certificate's names (for logs).
    public var certificateIdentity: PeerIdentity? {
        guard let cert = SSL_CTX_get0_certificate(ctx) else { return nil }
        return PeerIdentity(certificate: cert)
    }

    /// An ASN1_TIME as seconds since the Unix epoch (difference from a 1970-01-01 ASN1_TIME).
    static func unixSeconds(_ time: UnsafePointer<ASN1_TIME>) -> Int64? {
        guard let epoch = ASN1_TIME_set(nil, 0) else { return nil }
        defer { ASN1_TIME_free(epoch) }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard ASN1_TIME_diff(&days, &seconds, epoch, time) == 1 else { return nil }
        return Int64(days) * 86_400 + Int64(seconds)
    }
}

extension TLSConnection {
    /// The client certificate's names, when the client presented one (verified or not: see
    /// `hasVerifiedPeerCertificate`).
    public var peerIdentity: PeerIdentity? {
        guard let cert = peerCertificate() else { return nil }
        defer { X509_free(cert) }
        return PeerIdentity(certificate: cert)
    }
}
