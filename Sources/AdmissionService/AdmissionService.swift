import AdmissionAPI
import AdmissionRules
import AdmissionWebhook
import Logging
import Observability
import Synchronization
import WebhookHTTP
import WebhookServer
import WebhookTLS

/// The running webhook: the HTTPS server with `/mutate`, `/validate`, `/healthz`, `/readyz`; the
/// cleartext metrics listener; certificate hot reload; the cluster state source; readiness
/// (certificates loaded, listening, state synced, not shutting down) and graceful shutdown.
///
/// Nothing global: the caller makes the metrics registry and the logger and passes them in.
public final class AdmissionService: Sendable {
    public let settings: ServeSettings
    public let metrics: WebhookMetrics
    public let health: HealthState
    private let logger: Logger
    private let server: HTTPServer
    private let metricsListener: PlainHTTPListener?
    private let reloader: CertificateReloader
    private let stateSource: any ClusterStateSource
    private let ports = Mutex<(tls: Int, metrics: Int?)>((0, nil))

    /// Loads the serving certificate (a `TLSError` names the bad file, before anything listens)
    /// and assembles the listeners.
    public init(settings: ServeSettings, engine: AdmissionEngine, stateSource: any ClusterStateSource,
                metrics: WebhookMetrics, health: HealthState = HealthState(), logger: Logger) throws(TLSError) {
        self.settings = settings
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.stateSource = stateSource

        let target = ServerReference()
        let reloadLogger = logger
        reloader = CertificateReloader(
            configuration: settings.tls, interval: settings.certificatePollInterval,
            apply: { context in target.server?.replaceTLSContext(context) },
            report: { event in
                switch event {
                case .reloaded(let context):
                    metrics.recordCertificateReload(.success)
                    if let notAfter = context.certificateNotAfter { metrics.setCertificateExpiry(unixSeconds: notAfter) }
                    reloadLogger.info("serving certificate reloaded", metadata: Self.certificateMetadata(context))
                case .failed(let reason):
                    metrics.recordCertificateReload(.failure)
                    reloadLogger.warning("new certificate files not usable; keeping the previous certificate",
                                         metadata: ["error": "\(reason)"])
                }
            })
        let context = try reloader.loadInitial()
        if let notAfter = context.certificateNotAfter { metrics.setCertificateExpiry(unixSeconds: notAfter) }
        health.certificatesLoaded = true
        logger.info("serving certificate loaded", metadata: Self.certificateMetadata(context))

        let heartbeats = (0..<settings.server.loops).map { LoopHeartbeat(name: "\($0)", maxSilence: settings.loopStallLimit) }
        for h in heartbeats { health.addLivenessProbe(h) }
        let events = ServerMetricsEvents(metrics: metrics, logger: logger, heartbeats: heartbeats)

        let observer = AdmissionMetricsObserver(metrics: metrics)
        var router = Router()
        for endpoint in AdmissionEndpoint.allCases {
            let handler = AdmissionHandler(endpoint: endpoint, engine: engine, logger: logger, observer: observer)
            router.add("POST", "/" + AdmissionMetricsObserver.endpointLabel(endpoint),
                       InFlightCounting(inner: handler, metrics: metrics))
        }
        ObservabilityRoutes.addHealth(to: &router, health: health)
        server = HTTPServer(configuration: settings.server, tlsContext: context, handler: router,
                            logger: logger, events: events)
        target.server = server

        if let address = settings.metricsAddress {
            var plain = Router()
            ObservabilityRoutes.addAll(to: &plain, metrics: metrics, health: health)
            metricsListener = PlainHTTPListener(
                configuration: PlainHTTPListener.Configuration(bindAddress: address.host, port: address.port),
                handler: plain, logger: logger)
        } else {
            metricsListener = nil
        }
    }

    /// Bound ports (useful with port 0): the TLS listener, and the metrics listener if any.
    public var boundPorts: (tls: Int, metrics: Int?) { ports.withLock { $0 } }

    /// Opens both listeners, starts the certificate watch, then the cluster state source.
    /// On failure everything started is stopped again and the error is rethrown.
    @discardableResult
    public func start() async throws -> (tls: Int, metrics: Int?) {
        let tlsPort = try server.start()
        health.listening = true
        let metricsPort: Int?
        do {
            metricsPort = try metricsListener?.start()
        } catch {
            health.listening = false
            await server.shutdown(grace: .zero)
            throw error
        }
        ports.withLock { $0 = (tlsPort, metricsPort) }
        reloader.start()
        var metadata: Logger.Metadata = ["address": "\(settings.server.bindAddress)", "port": "\(tlsPort)",
                                         "state": "\(stateSource.summary)"]
        if let metricsPort, let address = settings.metricsAddress {
            metadata["metrics_address"] = "\(ListenAddress(host: address.host, port: metricsPort))"
        }
        logger.info("mpa-admission serving", metadata: metadata)
        do {
            try await stateSource.start(reporter: ClusterStateReporter(health: health, metrics: metrics))
        } catch {
            logger.error("cluster state source failed to start", metadata: ["error": "\(error)"])
            await shutdown()
            throw error
        }
        return (tlsPort, metricsPort)
    }

    /// Readiness fails from now on; safe to call from a signal handler path, and more than once.
    public func beginShutdown() {
        health.shuttingDown = true
    }

    /// Fails readiness, stops accepting, lets in-flight requests finish within the grace period,
    /// then stops the state source and the metrics listener (scrapes work until the end).
    public func shutdown() async {
        beginShutdown()
        logger.info("shutting down", metadata: ["grace": "\(settings.shutdownGrace)"])
        reloader.stop()
        await server.shutdown(grace: settings.shutdownGrace)
        health.listening = false
        await stateSource.stop()
        await metricsListener?.shutdown()
        logger.info("shutdown complete")
    }

    /// Checks the certificate files now instead of waiting for the next poll.
    @discardableResult
    public func reloadCertificatesNow() -> CertificateReloader.Event? { reloader.poll() }

    static func certificateMetadata(_ context: TLSContext) -> Logger.Metadata {
        var m: Logger.Metadata = ["cert_file": "\(context.configuration.certificateFile)"]
        if let id = context.certificateIdentity {
            m["subject"] = "\(id.commonName ?? "")"
            if !id.alternativeNames.isEmpty { m["sans"] = "\(id.alternativeNames.joined(separator: ","))" }
        }
        if let notAfter = context.certificateNotAfter {
            m["not_after"] = "\(WallTime(seconds: notAfter).rfc3339)"
        }
        return m
    }
}

/// Lets the reload callback, made before the server exists, reach it afterwards.
private final class ServerReference: Sendable {
    private let value = Mutex<HTTPServer?>(nil)
    var server: HTTPServer? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
