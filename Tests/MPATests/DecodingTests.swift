import JSON
import Quantity
import Testing
@testable import MPA

struct MPADecodingTests {
    static let hamster: JSONValue = [
        "apiVersion": "autoscaling.k8s.io/v1alpha1", "kind": "MultidimPodAutoscaler",
        "metadata": ["name": "hamster-mpa", "namespace": "default", "creationTimestamp": "2026-11-01T10:05:00Z"],
        "spec": [
            "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "hamster"],
            "policy": ["updateMode": "Initial"],
            "resourcePolicy": ["containerPolicies": [
                ["containerName": "*", "minAllowed": ["cpu": "100m", "memory": "50Mi"], "maxAllowed": ["cpu": 1, "memory": "500Mi"],
                 "controlledResources": ["cpu"], "controlledValues": "RequestsOnly"],
                ["containerName": "sidecar", "mode": "Off"],
            ]],
            "constraints": ["global": ["minReplicas": 1, "maxReplicas": 6], "containerControlledResources": ["cpu"],
                            "container": [["name": "hamster", "mode": "Auto", "requests": ["minAllowed": ["cpu": "1m"]]]]],
            "recommenders": [["name": "r1"]],
        ],
        "status": ["recommendation": ["containerRecommendations": [
            ["containerName": "hamster", "target": ["cpu": "587m", "memory": "262144k"], "upperBound": ["cpu": "1200m"]],
        ]]],
    ]

    @Test func decodesEveryField() throws {
        let mpa = try MultidimPodAutoscaler(json: Self.hamster)
        #expect(mpa.name == "hamster-mpa")
        #expect(mpa.namespace == "default")
        #expect(mpa.creationTimestamp?.text == "2026-11-01T10:05:00Z")
        #expect(mpa.scaleTargetRef == ScaleTargetReference(apiVersion: "apps/v1", kind: "Deployment", name: "hamster"))
        #expect(mpa.scaleTargetRef?.group == "apps")
        #expect(mpa.targetKey == ObjectKey(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "hamster"))
        #expect(mpa.updateMode == .initial)
        #expect(mpa.constraints?.minReplicas == 1)
        #expect(mpa.constraints?.maxReplicas == 6)
        #expect(mpa.constraints?.containerControlledResources == ["cpu"])
        #expect(mpa.constraints?.containers.first?.minAllowed["cpu"] == Quantity(milli: 1, format: .decimalSI))
        #expect(mpa.recommenders == ["r1"])
        let star = try #require(mpa.resourcePolicy?.policy(forContainer: "hamster"))
        #expect(star.containerName == "*")
        #expect(star.maxAllowed["cpu"] == (try Quantity(parsing: "1")))
        #expect(star.minAllowed["memory"] == (try Quantity(parsing: "50Mi")))
        #expect(star.effectiveControlledResources == ["cpu"])
        #expect(star.effectiveControlledValues == .requestsOnly)
        let sidecar = try #require(mpa.resourcePolicy?.policy(forContainer: "sidecar"))
        #expect(sidecar.mode == .off)
        #expect(sidecar.effectiveControlledResources == ["cpu", "memory"])
        #expect(sidecar.effectiveControlledValues == .requestsAndLimits)
        let rec = try #require(mpa.recommendation?.recommendation(forContainer: "hamster"))
        #expect(rec.target["cpu"] == (try Quantity(parsing: "587m")))
        #expect(rec.target["memory"] == (try Quantity(parsing: "262144k")))
        #expect(rec.upperBound.orderedNames == ["cpu"])
        #expect(mpa.recommendation?.recommendation(forContainer: "other") == nil)
        #expect(mpa.problems.isEmpty)
    }

    @Test func unsetModeMeansAuto() throws {
        let mpa = try MultidimPodAutoscaler(json: ["metadata": ["name": "m"], "spec": [:]])
        #expect(mpa.updateMode == nil)
        #expect(mpa.effectiveUpdateMode == .auto)
        #expect(mpa.recommendation == nil)
        #expect(mpa.scaleTargetRef == nil)
    }

    struct BadRow: CustomStringConvertible, Sendable {
        var name: String
        var object: JSONValue
        var path: String
        var contains: String
        var description: String { name }
    }

    static let badRows: [BadRow] = [
        BadRow(name: "not an object", object: "x", path: "", contains: "must be an object"),
        BadRow(name: "no name", object: ["metadata": [:]], path: "metadata.name", contains: "required"),
        BadRow(name: "unknown mode", object: ["metadata": ["name": "m"], "spec": ["policy": ["updateMode": "auto"]]],
               path: "spec.policy.updateMode", contains: "unsupported value \"auto\""),
        BadRow(name: "target not an object", object: ["metadata": ["name": "m"], "spec": ["scaleTargetRef": "x"]],
               path: "spec.scaleTargetRef", contains: "must be an object"),
        BadRow(name: "policies not a list", object: ["metadata": ["name": "m"], "spec": ["resourcePolicy": ["containerPolicies": [:]]]],
               path: "spec.resourcePolicy.containerPolicies", contains: "must be a list"),
        BadRow(name: "controlledValues", object: ["metadata": ["name": "m"], "spec": ["resourcePolicy": ["containerPolicies": [
            ["containerName": "a", "controlledValues": "Limits"]]]]],
               path: "spec.resourcePolicy.containerPolicies[0].controlledValues", contains: "RequestsAndLimits, RequestsOnly"),
        BadRow(name: "bad timestamp", object: ["metadata": ["name": "m", "creationTimestamp": "yesterday"]],
               path: "metadata.creationTimestamp", contains: "RFC 3339"),
        BadRow(name: "label not a string", object: ["metadata": ["name": "m", "labels": ["a": 1]]],
               path: "metadata.labels.a", contains: "must be a string"),
        BadRow(name: "minReplicas not int", object: ["metadata": ["name": "m"], "spec": ["constraints": ["global": ["minReplicas": "1"]]]],
               path: "spec.constraints.global.minReplicas", contains: "integer"),
    ]

    @Test(arguments: badRows)
    func shapeErrorsNameTheField(_ row: BadRow) {
        do {
            _ = try MultidimPodAutoscaler(json: row.object)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == row.path)
            #expect(error.message.contains(row.contains), "\(error)")
        }
    }

    @Test func badQuantitiesAreProblemsNotFailures() throws {
        let json: JSONValue = ["metadata": ["name": "m"], "spec": ["resourcePolicy": ["containerPolicies": [
            ["containerName": "*", "minAllowed": ["cpu": "lots"], "maxAllowed": ["cpu": "2"]]]]],
            "status": ["recommendation": ["containerRecommendations": [["containerName": "c", "target": ["memory": true]]]]]]
        let mpa = try MultidimPodAutoscaler(json: json)
        #expect(mpa.problems.map(\.path) == ["spec.resourcePolicy.containerPolicies[0].minAllowed.cpu",
                                             "status.recommendation.containerRecommendations[0].target.memory"])
        #expect(mpa.resourcePolicy?.containerPolicies.first?.minAllowed.isEmpty == true)
        #expect(mpa.resourcePolicy?.containerPolicies.first?.maxAllowed["cpu"] == (try Quantity(parsing: "2")))
    }

    @Test func olderFirstThenName() throws {
        func mpa(_ name: String, _ ts: String?) throws -> MultidimPodAutoscaler {
            var meta = JSONObject([(key: "name", value: .string(name))])
            if let ts { meta["creationTimestamp"] = .string(ts) }
            return try MultidimPodAutoscaler(json: ["metadata": .object(meta)])
        }
        let list = [try mpa("c", nil), try mpa("b", "2026-01-01T00:00:00Z"), try mpa("a", "2026-01-01T00:00:00Z"),
                    try mpa("z", "2025-12-31T23:00:00-02:00")]
        #expect(list.sorted(by: MultidimPodAutoscaler.olderFirst).map(\.name) == ["a", "b", "z", "c"])
    }
}

struct LimitRangeAndPodTests {
    @Test func limitRangeItems() throws {
        let lr = try LimitRange(json: ["metadata": ["name": "l", "namespace": "n"], "spec": ["limits": [
            ["type": "Pod", "max": ["cpu": "4"]],
            ["type": "Container", "min": ["memory": "8Mi"], "default": ["cpu": "500m"], "defaultRequest": ["cpu": "100m"],
             "maxLimitRequestRatio": ["cpu": 4]],
            ["type": "PersistentVolumeClaim", "max": ["storage": "1Ti"]],
        ]]])
        #expect(lr.items.map(\.type) == [.pod, .container, .persistentVolumeClaim])
        #expect(lr.items(ofType: .container).first?.maxLimitRequestRatio["cpu"] == (try Quantity(parsing: "4")))
        #expect(lr.items(ofType: .container).first?.defaultRequest["cpu"] == (try Quantity(parsing: "100m")))
        #expect(throws: ObjectDecodeError.self) {
            _ = try LimitRange(json: ["metadata": ["name": "l"], "spec": ["limits": [["type": "Container", "max": ["cpu": "x"]]]]])
        }
    }

    @Test func podView() throws {
        let pod: JSONValue = [
            "metadata": ["generateName": "web-", "namespace": "prod", "labels": ["app": "web"],
                         "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u"],
                                             ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-2", "uid": "v", "controller": true]]],
            "spec": ["containers": [["name": "a", "resources": ["requests": ["cpu": "1"]]], ["name": "b"]],
                     "initContainers": [["name": "init"], ["name": "side", "restartPolicy": "Always", "resources": ["limits": ["memory": "1Gi"]]]]],
        ]
        let view = try PodView(json: pod)
        #expect(view.metadata.displayName == "web-%")
        #expect(view.hasAnnotations == false)
        #expect(view.metadata.controllerReference?.name == "web-2")
        #expect(view.containers.map(\.name) == ["a", "b"])
        #expect(view.containers[0].hasResources && view.containers[0].hasRequests && !view.containers[0].hasLimits)
        #expect(!view.containers[1].hasResources)
        #expect(view.sidecars.map(\.name) == ["side"])
        #expect(view.sidecars.first?.index == 1)
        #expect(view.sidecars.first?.limits["memory"] == (try Quantity(parsing: "1Gi")))
    }
}

struct ObjectKeyTests {
    @Test(arguments: [("apps/v1", "apps", "v1"), ("v1", "", "v1"), ("", "", ""),
                      ("autoscaling.k8s.io/v1alpha1", "autoscaling.k8s.io", "v1alpha1")])
    func groupAndVersion(_ apiVersion: String, _ group: String, _ version: String) {
        let key = ObjectKey(apiVersion: apiVersion, kind: "K", namespace: "n", name: "x")
        #expect(key.group == group)
        #expect(key.version == version)
    }

    @Test func identityIgnoresVersion() {
        let a = ObjectKey(apiVersion: "apps/v1", kind: "Deployment", namespace: "n", name: "x")
        let b = ObjectKey(apiVersion: "apps/v1beta2", kind: "Deployment", namespace: "n", name: "x")
        let c = ObjectKey(apiVersion: "extensions/v1beta1", kind: "Deployment", namespace: "n", name: "x")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != c)
        #expect(a.description == "Deployment.apps n/x")
    }

    @Test func wellKnownControllers() {
        #expect(WellKnownController(kind: "Deployment", group: "apps") == .deployment)
        #expect(WellKnownController(kind: "Deployment", group: "extensions") == .deployment)
        #expect(WellKnownController(kind: "Deployment", group: "example.com") == nil)
        #expect(WellKnownController(kind: "ReplicationController", group: "") == .replicationController)
        #expect(WellKnownController(kind: "CronJob", group: "batch") == .cronJob)
        #expect(WellKnownController(kind: "StatefulSet", group: "extensions") == nil)
    }
}

struct TimestampTests {
    @Test(arguments: [
        ("2026-11-01T10:05:00Z", Int64(1_793_527_500), Int32(0)),
        ("1970-01-01T00:00:00Z", 0, 0),
        ("1970-01-01T01:00:00+01:00", 0, 0),
        ("2024-02-29T23:59:59.5Z", 1_709_251_199, 500_000_000),
        ("2000-03-01t00:00:00.123456789123z", 951_868_800, 123_456_789),
    ])
    func parses(_ text: String, _ seconds: Int64, _ nanos: Int32) throws {
        let t = try #require(Timestamp(rfc3339: text))
        #expect(t.seconds == seconds)
        #expect(t.nanoseconds == nanos)
    }

    @Test(arguments: ["", "2026-11-01", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2026-11-01T10:05:00",
                      "2026-11-01T25:00:00Z", "2026-11-01T10:05:00.Z", "2026-11-01T10:05:00+0100", "2026-11-01T10:05:00Zjunk"])
    func rejects(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}

struct LabelSelectorTextTests {
    @Test(arguments: [
        (#"{"matchLabels":{"b":"2","a":"1"}}"#, "a=1,b=2"),
        (#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["z","a"]},{"key":"c","operator":"DoesNotExist"},{"key":"d","operator":"Exists"},{"key":"e","operator":"NotIn","values":["x"]}]}"#,
         "app=web,!c,d,e notin (x),tier in (a,z)"),
        (#"{"app":"legacy","zone":"b"}"#, "app=legacy,zone=b"),
        (#"{}"#, ""),
    ])
    func formats(_ json: String, _ expected: String) throws {
        #expect(LabelSelectorText.format(try JSONParser.parse(json)) == expected)
    }

    @Test func rejectsOddShapes() throws {
        #expect(LabelSelectorText.format("x") == nil)
        #expect(LabelSelectorText.format(try JSONParser.parse(#"{"matchLabels":{"a":1}}"#)) == nil)
        #expect(LabelSelectorText.format(try JSONParser.parse(#"{"matchExpressions":[{"key":"a","operator":"Near"}]}"#)) == nil)
    }
}
