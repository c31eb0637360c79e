/// Long (more than 15 bytes, so not stored inline in a `String`) keys and values that nearly
/// every Kubernetes AdmissionReview carries. The parser hands out these shared strings instead
/// of allocating a new one each time it reads the same bytes; the result is an ordinary
/// `String`, equal to any other with the same text.
struct InternedStrings: Sendable {
    static let shared = InternedStrings(InternedStrings.kubernetes)

    /// Shorter strings are stored inline by `String` (no allocation): nothing to share.
    static let minimumLength = 16

    private let strings: [String]
    /// The first eight bytes of each string, to reject most candidates with one comparison.
    private let heads: [UInt64]
    /// Every string's bytes, one after the other; string `i` starts at `offsets[i]`.
    private let text: [UInt8]
    private let offsets: [Int]
    /// Strings of length `minimumLength + k` are `bucketStart[k] ..< bucketStart[k + 1]`.
    private let bucketStart: [Int]

    init(_ list: [String]) {
        let sorted = Set(list.filter { $0.utf8.count >= Self.minimumLength }).sorted {
            ($0.utf8.count, $0) < ($1.utf8.count, $1)
        }
        var strings: [String] = [], heads: [UInt64] = [], text: [UInt8] = [], offsets: [Int] = []
        let maxLength = sorted.last?.utf8.count ?? Self.minimumLength
        var bucketStart = [Int](repeating: 0, count: maxLength - Self.minimumLength + 2)
        for s in sorted {
            let bytes = Array(s.utf8)
            var head: UInt64 = 0
            for i in 0..<8 { head |= UInt64(bytes[i]) << (8 * UInt64(i)) }
            strings.append(s)
            heads.append(head)
            offsets.append(text.count)
            text.append(contentsOf: bytes)
            bucketStart[bytes.count - Self.minimumLength + 1] += 1
        }
        for k in 1..<bucketStart.count { bucketStart[k] += bucketStart[k - 1] }
        self.strings = strings
        self.heads = heads
        self.text = text
        self.offsets = offsets
        self.bucketStart = bucketStart
    }

    /// The shared string whose UTF-8 is exactly `bytes`, if there is one.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let k = bytes.count - Self.minimumLength
        guard k >= 0, k + 1 < bucketStart.count, let p = bytes.baseAddress else { return nil }
        let lo = bucketStart[k], hi = bucketStart[k + 1]
        guard lo < hi else { return nil }
        let head = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        for i in lo..<hi where heads[i] == head {
            let match = text.withUnsafeBufferPointer { t -> Bool in
                guard let tp = t.baseAddress else { return false }
                let candidate = tp + offsets[i]
                for j in 8..<bytes.count where candidate[j] != p[j] { return false }
                return true
            }
            if match { return strings[i] }
        }
        return nil
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
}
