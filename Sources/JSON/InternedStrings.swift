/// Keys and values that nearly every Kubernetes AdmissionReview carries. The parser hands out
/// these shared strings instead of making a new one each time it reads the same bytes: for the
/// long ones (more than 15 bytes, not stored inline in a `String`) that saves an allocation, for
/// the short ones the runtime's validating initializer. The result is an ordinary `String`,
/// equal to any other with the same text.
struct InternedStrings: Sendable {
    static let shared = InternedStrings(InternedStrings.kubernetes + InternedStrings.kubernetesShort)

    /// Longer strings are not looked up (none of ours is this long).
    static let maximumLength = 64

    private struct Slot {
        var print: KeyPrint
        var index: Int
    }

    /// Open addressing, linear probing; an empty slot has `print.meta == 0` (no ASCII print has).
    private let slots: [Slot]
    private let mask: Int
    private let strings: [String]
    /// Every string's bytes, one after the other; string `i` starts at `offsets[i]`.
    private let text: [UInt8]
    private let offsets: [Int]

    init(_ list: [String]) {
        var seen = Set<String>()
        let unique = list.filter { s in
            s.utf8.allSatisfy { $0 < 0x80 } && s.utf8.count <= Self.maximumLength && seen.insert(s).inserted
        }
        var size = 16
        while size < unique.count * 4 { size *= 2 }
        var slots = [Slot](repeating: Slot(print: KeyPrint(head: 0, tail: 0, meta: 0), index: 0), count: size)
        var text: [UInt8] = [], offsets: [Int] = []
        for (index, s) in unique.enumerated() {
            let bytes = Array(s.utf8)
            offsets.append(text.count)
            text.append(contentsOf: bytes)
            let print = bytes.withUnsafeBufferPointer { KeyPrint($0, isASCII: true) }
            var i = Self.hash(print) & (size - 1)
            while slots[i].print.meta != 0 { i = (i + 1) & (size - 1) }
            slots[i] = Slot(print: print, index: index)
        }
        self.slots = slots
        self.mask = size - 1
        self.strings = unique
        self.text = text
        self.offsets = offsets
    }

    @inline(__always)
    private static func hash(_ p: KeyPrint) -> Int {
        let h = (p.head &* 0x9E37_79B9_7F4A_7C15) ^ (p.tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: p.meta)
        return Int(truncatingIfNeeded: (h &* 0xFF51_AFD7_ED55_8CCD) >> 40)
    }

    /// The shared string whose UTF-8 is exactly `bytes` (with print `print`), if there is one.
    @inline(__always)
    func lookup(_ print: KeyPrint, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard print.isASCII else { return nil }
        var i = Self.hash(print) & mask
        while true {
            let slot = slots[i]
            if slot.print.meta == 0 { return nil }
            if slot.print == print {
                // Prints cover every byte of ASCII strings up to 16 bytes; check longer ones.
                if print.length <= 16 || matches(slot.index, bytes) { return strings[slot.index] }
            }
            i = (i + 1) & mask
        }
    }

    private func matches(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[index]
        let n = bytes.count
        guard start + n <= text.count, let p = bytes.baseAddress else { return false }
        guard n >= 8 else { return text[start..<(start + n)].elementsEqual(bytes) }
        return text.withUnsafeBufferPointer { t -> Bool in
            guard let q = t.baseAddress.map({ UnsafeRawPointer($0 + start) }) else { return false }
            // Eight bytes at a time; the last word overlaps the one before (n > 16 here).
            var j = 0
            while j < n - 8 {
                if q.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    != UnsafeRawPointer(p).loadUnaligned(fromByteOffset: j, as: UInt64.self) { return false }
                j += 8
            }
            return q.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                == UnsafeRawPointer(p).loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
    }

    /// Keys of Pod, ObjectMeta, container and AdmissionReview objects, and values the API
    /// server itself writes (defaults, service account mounts, the review's own names).
    static let kubernetes: [String] = [
        // ObjectMeta
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
        "blockOwnerDeletion", "pod-template-hash", "controller-revision-hash",
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
        "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
        "kubectl.kubernetes.io/last-applied-configuration", "kubectl.kubernetes.io/restartedAt",
        // PodSpec
        "terminationGracePeriodSeconds", "activeDeadlineSeconds", "serviceAccountName",
        "automountServiceAccountToken", "enableServiceLinks", "preemptionPolicy", "priorityClassName",
        "shareProcessNamespace", "topologySpreadConstraints", "ephemeralContainers",
        "readinessGates", "runtimeClassName", "setHostnameAsFQDN", "imagePullSecrets",
        "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
        "matchLabelKeys", "whenUnsatisfiable", "resourceClaims", "schedulingGates",
        // Container
        "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext",
        "allowPrivilegeEscalation", "readOnlyRootFilesystem", "initialDelaySeconds", "successThreshold",
        "failureThreshold", "terminationGracePeriodSeconds", "resizePolicy", "restartPolicy",
        "volumeDevices", "mountPropagation", "subPathExpr",
        // Volumes
        "serviceAccountToken", "expirationSeconds", "persistentVolumeClaim", "configMapKeyRef",
        // Tolerations
        "tolerationSeconds",
        // AdmissionReview
        "requestSubResource", "admission.k8s.io/v1", "admission.k8s.io/v1beta1",
        // Values the API server fills in
        "/dev/termination-log", "FallbackToLogsOnError", "default-scheduler", "PreemptLowerPriority",
        "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
        "/var/run/secrets/kubernetes.io/serviceaccount", "metadata.namespace", "kube-root-ca.crt",
        "system:authenticated", "system:serviceaccounts", "system:serviceaccounts:kube-system",
        "system:serviceaccount:kube-system:replicaset-controller",
        "system:serviceaccount:kube-system:daemon-set-controller",
        "system:serviceaccount:kube-system:statefulset-controller",
        "system:serviceaccount:kube-system:job-controller",
        "autoscaling.k8s.io/v1",
    ]

    /// Short keys and values (stored inline by `String`, no allocation, but still cheaper to copy
    /// from here than to validate and build).
    static let kubernetesShort: [String] = [
        // Any object
        "apiVersion", "kind", "metadata", "spec", "status", "name", "namespace", "uid", "labels",
        "annotations", "generateName", "resourceVersion", "generation", "finalizers", "managedFields",
        "controller", "app", "v1", "apps/v1", "batch/v1", "Pod", "ReplicaSet", "Deployment",
        "StatefulSet", "DaemonSet", "Job",
        // AdmissionReview
        "request", "response", "group", "version", "resource", "subResource", "requestKind",
        "requestResource", "operation", "userInfo", "username", "groups", "extra", "object",
        "oldObject", "dryRun", "options", "pods", "CREATE", "UPDATE", "DELETE", "CONNECT",
        "AdmissionReview", "CreateOptions", "UpdateOptions", "DeleteOptions", "meta.k8s.io/v1",
        "fieldManager", "default",
        // PodSpec
        "containers", "initContainers", "volumes", "restartPolicy", "dnsPolicy", "serviceAccount",
        "nodeName", "nodeSelector", "tolerations", "affinity", "schedulerName", "priority",
        "securityContext", "hostNetwork", "hostPID", "hostIPC", "hostname", "subdomain",
        "Always", "OnFailure", "Never", "ClusterFirst", "Default",
        // Container
        "image", "command", "args", "env", "envFrom", "value", "valueFrom", "resources", "limits",
        "requests", "cpu", "memory", "ephemeral-storage", "volumeMounts", "mountPath", "subPath",
        "readOnly", "ports", "containerPort", "protocol", "TCP", "UDP", "imagePullPolicy",
        "IfNotPresent", "File", "livenessProbe", "readinessProbe", "startupProbe", "httpGet", "exec",
        "tcpSocket", "port", "path", "scheme", "HTTP", "periodSeconds", "timeoutSeconds",
        "workingDir", "stdin", "tty", "capabilities", "add", "drop", "ALL", "privileged",
        "runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "seccompProfile", "type",
        "RuntimeDefault", "configMapRef", "secretRef", "secretKeyRef", "optional", "key",
        // Volumes
        "projected", "sources", "configMap", "secret", "secretName", "items", "downwardAPI",
        "fieldRef", "fieldPath", "defaultMode", "emptyDir", "hostPath", "token", "ca.crt",
        // Tolerations
        "operator", "effect", "Exists", "Equal", "NoExecute", "NoSchedule",
        // Status
        "phase", "Pending", "Running", "conditions", "qosClass", "Burstable", "BestEffort",
        "Guaranteed",
    ]
}
