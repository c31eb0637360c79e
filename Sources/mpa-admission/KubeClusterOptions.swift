import ArgumentParser
import KubeClient
import Logging
import MPA
import Synchronization

/// Flags for the live cluster state (list/watch against kube-apiserver) and optional webhook
/// self-registration. `serve` takes them with `@OptionGroup var kube: KubeClusterOptions`.
struct KubeClusterOptions: ParsableArguments {
    @Option(name: .long, help: "kubeconfig for a live cluster state (default inside a pod: in-cluster config).")
    var kubeconfig: String?

    @Option(name: .long, help: "kubeconfig context to use (default: its current-context).")
    var kubeContext: String?

    @Option(name: .long, help: "Only watch MPAs and LimitRanges in this namespace (default: all namespaces).")
    var mpaNamespace: String?

    @Option(name: .long, parsing: .singleValue,
            help: "Namespaces to leave out of the caches (comma-separated; may be repeated).")
    var ignoredNamespaces: [String] = []

    @Option(name: .customLong("kube-api-qps"), help: "Client-side limit on API requests per second (0: none).")
    var kubeAPIQPS: Double = 20

    @Option(name: .customLong("kube-api-burst"), help: "Requests allowed at once above --kube-api-qps.")
    var kubeAPIBurst: Int = 30

    @Option(name: .long, help: "Seconds an owner object or scale selector stays cached.")
    var ownerCacheTTL: Int = 30

    @Flag(name: .long, help: "Create or update the Mutating/ValidatingWebhookConfiguration with our caBundle at start-up, and again when the CA file changes.")
    var registerWebhook = false

    @Option(name: .long, help: "PEM CA that signed the serving certificate: the caBundle written by --register-webhook.")
    var webhookCAFile: String?

    @Option(name: .long, help: "Name of both webhook configurations written by --register-webhook.")
    var webhookConfigName = "mpa-admission"

    @Option(name: .long, help: "Service the API server calls the webhook through.")
    var webhookServiceName = "mpa-webhook"

    @Option(name: .long, help: "Namespace of --webhook-service-name (its pods are never sent to the pod webhook).")
    var webhookServiceNamespace = "kube-system"

    @Option(name: .long, help: "Port of --webhook-service-name.")
    var webhookServicePort = 443

    @Option(name: .long, help: "Seconds between checks of --webhook-ca-file for a new CA.")
    var webhookCAPollSeconds = 30

    func validate() throws {
        guard kubeAPIQPS >= 0, kubeAPIQPS.isFinite else { throw ValidationError("--kube-api-qps must be >= 0") }
        guard kubeAPIBurst >= 1 else { throw ValidationError("--kube-api-burst must be >= 1") }
        guard ownerCacheTTL >= 0 else { throw ValidationError("--owner-cache-ttl must be >= 0") }
        guard (1...65535).contains(webhookServicePort) else { throw ValidationError("--webhook-service-port must be 1-65535") }
        guard webhookCAPollSeconds >= 1 else { throw ValidationError("--webhook-ca-poll-seconds must be >= 1") }
        if registerWebhook && (webhookCAFile ?? "").isEmpty {
            throw ValidationError("--register-webhook needs --webhook-ca-file (the CA of the serving certificate)")
        }
        if mpaNamespace != nil && !ignoredNamespaceSet.isEmpty {
            throw ValidationError("--mpa-namespace and --ignored-namespaces are mutually exclusive")
        }
    }

    var ignoredNamespaceSet: Set<String> {
        Set(ignoredNamespaces.flatMap { $0.split(separator: ",") }
            .map { String($0).trimmingSpaces() }.filter { !$0.isEmpty })
    }

    /// The API client settings: `--kubeconfig` when given, else the in-cluster service account.
    func clientConfiguration() throws -> KubeClientConfiguration {
        var c = try kubeconfig.map { try Kubeconfig.load(path: $0, context: kubeContext) } ?? InClusterConfiguration.load()
        c.qps = kubeAPIQPS
        c.burst = kubeAPIBurst
        return c
    }

    /// Builds (does not start) the live cluster: hand `cluster.state` to the rules, then call
    /// `cluster.start(events:)` and, at shutdown, `cluster.stop()`.
    func makeLiveCluster(logger: Logger) throws -> LiveCluster {
        let client = try KubeHTTPClient(configuration: clientConfiguration(), logger: logger)
        var options = LiveClusterStateOptions(scope: NamespaceScope(only: mpaNamespace, ignored: ignoredNamespaceSet))
        options.ownerCacheTTL = .seconds(ownerCacheTTL)
        let state = LiveClusterState(client: client, options: options, logger: logger)
        var registrar: WebhookRegistrar?
        if registerWebhook, let ca = webhookCAFile {
            var r = WebhookRegistration(caFile: ca)
            r.configurationName = webhookConfigName
            r.serviceName = webhookServiceName
            r.serviceNamespace = webhookServiceNamespace
            r.servicePort = webhookServicePort
            r.excludedNamespaces = Array(Set(["kube-system", webhookServiceNamespace])).sorted()
            r.caPollInterval = .seconds(webhookCAPollSeconds)
            registrar = WebhookRegistrar(registration: r, client: client, logger: logger)
        }
        let c = client.configuration
        let scope = mpaNamespace.map { "namespace \($0)" } ?? "all namespaces"
        let summary = "live \(kubeconfig.map { "kubeconfig \($0)" } ?? "in-cluster") https://\(c.host):\(c.port) (\(scope))"
        return LiveCluster(state: state, registrar: registrar, summary: summary, logger: logger)
    }
}

/// The live cluster state plus optional webhook registration, started and stopped together.
final class LiveCluster: Sendable {
    let state: LiveClusterState
    let registrar: WebhookRegistrar?
    let summary: String
    let logger: Logger
    private let caWatch = LockedTask()

    init(state: LiveClusterState, registrar: WebhookRegistrar?, summary: String, logger: Logger) {
        self.state = state
        self.registrar = registrar
        self.summary = summary
        self.logger = logger
    }

    /// Starts the informers; with `--register-webhook` registers once (a failure is logged and
    /// retried by the CA poll) and keeps the caBundle current.
    func start(events: ClusterStateEvents) async {
        state.start(events: events)
        guard let registrar else { return }
        do {
            let outcomes = try await registrar.register()
            logger.info("webhook configurations registered", metadata: ["outcomes": "\(outcomes.map(\.rawValue))"])
        } catch {
            logger.error("webhook registration failed; retrying at the next CA check", metadata: ["error": "\(error)"])
        }
        caWatch.set(Task { await registrar.watchCAFile() })
    }

    func stop() async {
        await caWatch.cancel()
        await state.stop()
    }
}

/// One background task, cancellable from any thread.
final class LockedTask: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    func set(_ t: Task<Void, Never>) { task.withLock { $0 = t } }
    func cancel() async {
        guard let t = task.withLock({ $0 }) else { return }
        t.cancel()
        await t.value
    }
}

private extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
