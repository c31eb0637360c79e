import WebhookServer
import WebhookTLS

/// What `serve` runs with, after the flags are checked.
public struct ServeSettings: Sendable {
    /// The HTTPS admission listener.
    public var server: ServerConfiguration
    /// The cleartext `/metrics`, `/healthz`, `/readyz` listener; nil = none.
    public var metricsAddress: ListenAddress?
    /// How long in-flight requests may take to finish after SIGTERM.
    public var shutdownGrace: Duration
    /// How often the certificate files are looked at.
    public var certificatePollInterval: Duration
    /// `/healthz` fails when an event loop has not gone round for this long.
    public var loopStallLimit: Duration = .seconds(10)

    public init(server: ServerConfiguration, metricsAddress: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8944),
                shutdownGrace: Duration = .seconds(25), certificatePollInterval: Duration = .seconds(2)) {
        self.server = server
        self.metricsAddress = metricsAddress
        self.shutdownGrace = shutdownGrace
        self.certificatePollInterval = certificatePollInterval
    }

    public var tls: TLSConfiguration { server.tls }
}
