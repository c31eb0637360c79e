import AdmissionService
import FoundationEssentials
#if canImport(Glibc)
import Glibc  // inet_pton (Foundation used to re-export it)
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Observability
import WebhookServer
import WebhookTLS

/// `serve`'s flags checked and turned into settings; every problem is one line naming the flag.
struct ServeOptions {
    var settings: ServeSettings
    var stateOrigin: ClusterStateOrigin
    var logLevel: Logger.Level
    var logFormat: LogFormat

    init(_ c: ServeCommand, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard (0...65535).contains(c.port) else { throw CLIError("--port \(c.port): must be 0 to 65535") }
        guard Self.isIPLiteral(c.bindAddress) else {
            throw CLIError("--bind-address \(c.bindAddress): not an IPv4 or IPv6 address")
        }
        let minimum: TLSConfiguration.MinimumVersion
        switch c.minTlsVersion {
        case "1.2", "VersionTLS12": minimum = .tls12
        case "1.3", "VersionTLS13": minimum = .tls13
        default: throw CLIError("--min-tls-version \(c.minTlsVersion): must be 1.2 or 1.3")
        }
        let allowed = c.allowedClientNames
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if c.requireClientCert && c.clientCaFile == nil {
            throw CLIError("--require-client-cert needs --client-ca-file")
        }
        if !allowed.isEmpty && !c.requireClientCert {
            throw CLIError("--allowed-client-names needs --require-client-cert (and --client-ca-file)")
        }
        let tls = TLSConfiguration(certificateFile: c.tlsCertFile, privateKeyFile: c.tlsPrivateKey,
                                   clientCAFile: c.clientCaFile, requireClientCert: c.requireClientCert,
                                   minimumTLSVersion: minimum, allowedClientNames: allowed)
        if let loops = c.eventLoops, !(1...256).contains(loops) {
            throw CLIError("--event-loops \(loops): must be 1 to 256")
        }
        guard (1...1_000_000).contains(c.maxConnections) else {
            throw CLIError("--max-connections \(c.maxConnections): must be 1 to 1000000")
        }
        let server = ServerConfiguration(bindAddress: c.bindAddress, port: c.port, tls: tls, loops: c.eventLoops,
                                         maxConnections: c.maxConnections)

        let metricsAddress: ListenAddress?
        do {
            metricsAddress = c.metricsAddress == "off" ? nil : try ListenAddress(parsing: c.metricsAddress)
        } catch {
            throw CLIError("--metrics-address \(error.message)")
        }
        if let m = metricsAddress, !Self.isIPLiteral(m.host) {
            throw CLIError("--metrics-address \(c.metricsAddress): host must be an IPv4 or IPv6 address")
        }
        let grace: Duration
        let poll: Duration
        do {
            grace = try DurationText.parse(c.shutdownGrace)
        } catch {
            throw CLIError("--shutdown-grace \(error.message)")
        }
        do {
            poll = try DurationText.parse(c.certPollInterval)
        } catch {
            throw CLIError("--cert-poll-interval \(error.message)")
        }
        guard poll >= .milliseconds(100) else { throw CLIError("--cert-poll-interval: at least 100ms") }
        settings = ServeSettings(server: server, metricsAddress: metricsAddress, shutdownGrace: grace,
                                 certificatePollInterval: poll)

        guard let level = Logger.Level(rawValue: c.logLevel) else {
            throw CLIError("--log-level \(c.logLevel): must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let format = LogFormat(rawValue: c.logFormat) else {
            throw CLIError("--log-format \(c.logFormat): must be json or text")
        }
        logLevel = level
        logFormat = format
        stateOrigin = try ClusterStateOrigin.from(state: c.state, kubeconfig: c.kube.kubeconfig, environment: environment)
        if let config = c.config, !FileManager.default.isReadableFile(atPath: config) {
            throw CLIError("--config \(config): cannot read file")
        }
    }

    static func isIPLiteral(_ s: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }
}
