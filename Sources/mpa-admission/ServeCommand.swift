import AdmissionService
import ArgumentParser
import Logging
import Metrics
import MPA
import Observability
import Prometheus

/// `mpa-admission serve`: the webhook server. Exit 0 after a graceful shutdown (SIGTERM/SIGINT),
/// 2 for a bad flag or unusable certificate/key/config (one line on stderr, before listening),
/// 1 when the server cannot run (port in use, state source failure).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve /mutate and /validate over TLS, with /metrics, /healthz and /readyz.")

    @Option(name: .long, help: "TLS port.")
    var port: Int = 8000

    @Option(name: .long, help: "IP address to listen on (IPv4 or IPv6 literal).")
    var bindAddress: String = "0.0.0.0"

    @Option(name: .long, help: "PEM certificate chain, leaf first (watched and reloaded when it changes).")
    var tlsCertFile: String = "/etc/mpa-tls-certs/tls.crt"

    @Option(name: .long, help: "PEM private key matching --tls-cert-file (watched).")
    var tlsPrivateKey: String = "/etc/mpa-tls-certs/tls.key"

    @Option(name: .long, help: "PEM CA bundle for client certificates; clients are asked for one (watched).")
    var clientCaFile: String?

    @Flag(name: .long, help: "Refuse clients without a certificate that chains to --client-ca-file.")
    var requireClientCert = false

    @Option(name: .long, parsing: .singleValue,
            help: "Client certificate CN or SAN allowed in (repeat or comma-separate); needs --require-client-cert.")
    var allowedClientNames: [String] = []

    @Option(name: .long, help: "Lowest TLS version accepted: 1.2 or 1.3.")
    var minTlsVersion: String = "1.2"

    @Option(name: .long, help: "Cleartext listener for /metrics, /healthz, /readyz: host:port or :port; 'off' for none.")
    var metricsAddress: String = ":8944"

    @Option(name: .long, help: "Cluster state snapshot directory (instead of a live cluster).")
    var state: String?

    /// `--kubeconfig`, namespaces, API rate limits, `--register-webhook`: the live cluster state.
    @OptionGroup var kube: KubeClusterOptions

    @Option(name: .long, help: "Rules configuration file (default: every built-in rule with its defaults).")
    var config: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "json or text.")
    var logFormat: String = "json"

    @Option(name: .long, help: "Time in-flight requests get to finish after SIGTERM, e.g. 25s.")
    var shutdownGrace: String = "25s"

    @Option(name: .long, help: "How often the certificate files are checked for changes.")
    var certPollInterval: String = "2s"

    @Option(name: .long, help: "Event loop threads (default: one per online core).")
    var eventLoops: Int?

    @Option(name: .long, help: "Open TLS connections at most; connections beyond it are accepted and closed at once.")
    var maxConnections: Int = 10_000

    func run() async throws {
        let options: ServeOptions
        do {
            options = try ServeOptions(self)
        } catch {
            StandardStreams.writeErr("error: \(error)")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap(makeLogHandlerFactory(format: options.logFormat, level: options.logLevel))
        let logger = Logger(label: "mpa-admission")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeMetricsFactory(registry: registry))
        let metrics = WebhookMetrics(registry: registry)

        let service: AdmissionService
        let clusterState: any ClusterState
        do {
            let source: any ClusterStateSource
            (clusterState, source) = try CompositionRoot.makeClusterState(options.stateOrigin, kube: kube, logger: logger)
            let engine = try CompositionRoot.makeEngine(configFile: config, state: clusterState)
            service = try AdmissionService(settings: options.settings, engine: engine, stateSource: source,
                                           metrics: metrics, logger: logger)
        } catch {
            StandardStreams.writeErr("error: \(error)")
            throw ExitCode(2)
        }
        if let snapshot = clusterState as? SnapshotClusterState {
            for warning in snapshot.warnings { logger.notice("cluster state snapshot", metadata: ["note": "\(warning)"]) }
        }

        if options.stateOrigin == .empty {
            logger.warning("no --state or --kubeconfig and not in a cluster: serving with an empty cluster state")
        }
        let signals = ShutdownSignals()
        do {
            try await service.start()
        } catch {
            StandardStreams.writeErr("error: \(error)")
            throw ExitCode(1)
        }
        let signal = await signals.first()
        service.beginShutdown()
        logger.info("signal received; draining", metadata: ["signal": "\(signal)"])
        signals.onSecond { logger.warning("second signal: exiting without waiting for in-flight requests") }
        await service.shutdown()
    }
}
