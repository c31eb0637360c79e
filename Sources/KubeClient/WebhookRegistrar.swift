import JSON
import Logging
import Synchronization

/// What `--register-webhook` writes: our MutatingWebhookConfiguration and
/// ValidatingWebhookConfiguration (the same content as manifests/install), pointing at the
/// webhook Service with the serving CA as `caBundle`.
public struct WebhookRegistration: Sendable, Equatable {
    public var configurationName = "mpa-admission"
    public var serviceName = "mpa-webhook"
    public var serviceNamespace = "kube-system"
    public var servicePort = 443
    /// PEM file of the CA that signed the serving certificate (re-read when it changes).
    public var caFile: String
    public var timeoutSeconds = 5
    /// Namespaces whose pods the pod webhook skips (the webhook's own namespace must be one).
    public var excludedNamespaces: [String] = ["kube-system"]
    /// How often the CA file is checked for changes.
    public var caPollInterval: Duration = .seconds(30)

    public init(caFile: String) { self.caFile = caFile }
}

/// Creates or updates (never deletes) the two webhook configurations. Safe with several
/// replicas: a create that loses the race (409 AlreadyExists) and an update that loses it
/// (409 Conflict) are retried from a fresh GET.
public final class WebhookRegistrar: Sendable {
    public enum Outcome: String, Sendable, Equatable {
        case created, updated, unchanged
    }

    public let registration: WebhookRegistration
    let client: KubeHTTPClient
    let logger: Logger
    static let maxAttempts = 5
    private let lastCA = Mutex<[UInt8]?>(nil)

    public init(registration: WebhookRegistration, client: KubeHTTPClient, logger: Logger) {
        self.registration = registration
        self.client = client
        self.logger = logger
    }

    /// Registers both configurations with the CA file's current content.
    @discardableResult
    public func register() async throws -> [Outcome] {
        let ca = try FileReader.read(registration.caFile)
        guard String(decoding: ca, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw KubeError.configuration("CA file \(registration.caFile) holds no PEM certificate")
        }
        let bundle = Base64.encode(ca)
        let mutating = try await apply(.mutatingWebhookConfigurations, desired: mutatingConfiguration(caBundle: bundle))
        let validating = try await apply(.validatingWebhookConfigurations, desired: validatingConfiguration(caBundle: bundle))
        lastCA.withLock { $0 = ca }
        return [mutating, validating]
    }

    /// Re-registers whenever the CA file's content changes, until the task is cancelled.
    public func watchCAFile() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: registration.caPollInterval) } catch { return }
            guard let ca = try? FileReader.read(registration.caFile) else {
                logger.warning("cannot read the webhook CA file", metadata: ["file": "\(registration.caFile)"])
                continue
            }
            if lastCA.withLock({ $0 }) == ca { continue }
            do {
                let outcomes = try await register()
                logger.info("webhook CA changed, configurations updated",
                            metadata: ["outcomes": "\(outcomes.map(\.rawValue))"])
            } catch {
                logger.error("webhook CA changed but the configurations could not be updated",
                             metadata: ["error": "\(error)"])
            }
        }
    }

    /// GET → create or update with the desired webhooks; 409s start over from a fresh GET.
    func apply(_ resource: ResourceType, desired: JSONValue) async throws -> Outcome {
        let name = registration.configurationName
        var lastError: KubeError?
        for _ in 0..<Self.maxAttempts {
            let response = try await client.send(KubeRequest(path: resource.objectPath(namespace: "", name: name)))
            if response.status == 404 {
                let created = try await client.send(KubeRequest(method: "POST", path: resource.collectionPath(namespace: nil),
                                                                body: JSONWriter.bytes(desired)))
                if created.isSuccess {
                    logger.info("webhook configuration created", metadata: ["kind": "\(resource.kind)", "name": "\(name)"])
                    return .created
                }
                if created.status == 409 { lastError = KubeError.from(created); continue }  // another replica won
                throw KubeError.from(created)
            }
            let current = try KubeHTTPClient.decode(response)
            guard case .object(var object) = current else {
                throw KubeError.decoding("\(resource.kind) \(name) is not an object")
            }
            // The API server fills in defaults (objectSelector, …): compare only what we set.
            if Self.contains(current["webhooks"], desired["webhooks"]) && labelsContained(desired, in: current) {
                return .unchanged
            }
            object["webhooks"] = desired["webhooks"]
            if case .object(var meta) = object["metadata"] ?? .object(JSONObject()),
               case .object(var labels) = meta["labels"] ?? .object(JSONObject()) {
                for (k, v) in desired["metadata"]?["labels"]?.objectValue ?? JSONObject() { labels[k] = v }
                meta["labels"] = .object(labels)
                object["metadata"] = .object(meta)
            }
            // metadata.resourceVersion stays: the API server refuses the update (409) if
            // another replica wrote in between, and we go round again.
            let updated = try await client.send(KubeRequest(method: "PUT", path: resource.objectPath(namespace: "", name: name),
                                                            body: JSONWriter.bytes(.object(object))))
            if updated.isSuccess {
                logger.info("webhook configuration updated", metadata: ["kind": "\(resource.kind)", "name": "\(name)"])
                return .updated
            }
            if updated.status == 409 { lastError = KubeError.from(updated); continue }
            throw KubeError.from(updated)
        }
        throw lastError ?? KubeError.transport("giving up on \(resource.kind) \(name) after \(Self.maxAttempts) conflicts")
    }

    /// Whether `have` holds everything `want` sets (objects: a subset; arrays: same length, element-wise).
    static func contains(_ have: JSONValue?, _ want: JSONValue?) -> Bool {
        switch (have, want) {
        case (_, nil): return true
        case (nil, _): return false
        case (.object(let h)?, .object(let w)?):
            return w.allSatisfy { contains(h[$0.key], $0.value) }
        case (.array(let h)?, .array(let w)?):
            return h.count == w.count && zip(h, w).allSatisfy { contains($0, $1) }
        case (let h?, let w?):
            return h == w
        }
    }

    private func labelsContained(_ desired: JSONValue, in current: JSONValue) -> Bool {
        let want = desired["metadata"]?["labels"]?.objectValue ?? JSONObject()
        let have = current["metadata"]?["labels"]?.objectValue ?? JSONObject()
        return want.allSatisfy { have[$0.key] == $0.value }
    }

    // MARK: desired objects

    private var labels: JSONValue { ["app.kubernetes.io/name": "mpa-admission"] }

    private func clientConfig(path: String, caBundle: String) -> JSONValue {
        ["service": ["name": .string(registration.serviceName), "namespace": .string(registration.serviceNamespace),
                     "path": .string(path), "port": .number(JSONNumber(registration.servicePort))],
         "caBundle": .string(caBundle)]
    }

    private static let mpaRules: JSONValue = [[
        "apiGroups": ["autoscaling.k8s.io"], "apiVersions": ["v1alpha1"],
        "resources": ["multidimpodautoscalers"], "operations": ["CREATE", "UPDATE"], "scope": "Namespaced",
    ]]

    func mutatingConfiguration(caBundle: String) -> JSONValue {
        let timeout = JSONValue.number(JSONNumber(registration.timeoutSeconds))
        let pods: JSONValue = [
            "name": "pods.mpa.k8s.io",
            "admissionReviewVersions": ["v1", "v1beta1"],
            "sideEffects": "None",
            "timeoutSeconds": timeout,
            "failurePolicy": "Ignore",
            "matchPolicy": "Equivalent",
            "reinvocationPolicy": "IfNeeded",
            "namespaceSelector": ["matchExpressions": [[
                "key": "kubernetes.io/metadata.name", "operator": "NotIn",
                "values": .array(registration.excludedNamespaces.map { .string($0) }),
            ]]],
            "rules": [["apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"],
                       "operations": ["CREATE"], "scope": "Namespaced"]],
            "clientConfig": clientConfig(path: "/mutate", caBundle: caBundle),
        ]
        let mpas: JSONValue = [
            "name": "multidimpodautoscalers.mpa.k8s.io",
            "admissionReviewVersions": ["v1", "v1beta1"],
            "sideEffects": "None",
            "timeoutSeconds": timeout,
            "failurePolicy": "Fail",
            "matchPolicy": "Equivalent",
            "reinvocationPolicy": "Never",
            "rules": Self.mpaRules,
            "clientConfig": clientConfig(path: "/mutate", caBundle: caBundle),
        ]
        return ["apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
                "metadata": ["name": .string(registration.configurationName), "labels": labels],
                "webhooks": [pods, mpas]]
    }

    func validatingConfiguration(caBundle: String) -> JSONValue {
        let mpas: JSONValue = [
            "name": "multidimpodautoscalers.mpa.k8s.io",
            "admissionReviewVersions": ["v1", "v1beta1"],
            "sideEffects": "None",
            "timeoutSeconds": .number(JSONNumber(registration.timeoutSeconds)),
            "failurePolicy": "Fail",
            "matchPolicy": "Equivalent",
            "rules": Self.mpaRules,
            "clientConfig": clientConfig(path: "/validate", caBundle: caBundle),
        ]
        return ["apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                "metadata": ["name": .string(registration.configurationName), "labels": labels],
                "webhooks": [mpas]]
    }
}
