import Foundation
import JSON
import Quantity
import Testing
@testable import MPA

struct SnapshotLoadingTests {
    static func good() throws -> SnapshotClusterState {
        try SnapshotClusterState.load(directory: FixturePaths.fixture("snapshot-good"))
    }

    @Test func loadsEveryFileKindAndSkipsTheRest() throws {
        let state = try Self.good()
        // Deployment, RC, 4 MPAs, 2 LimitRanges, Namespace, Widget; rules.yaml, notes.txt and .hidden skipped.
        #expect(state.objectCount == 10)
        #expect(state.skipped.count == 1 && state.skipped.first?.contains("rules.yaml") == true)
        #expect(state.warnings.count == 1)
        #expect(state.warnings.contains { $0.contains("mpas.json") && $0.contains("minAllowed.cpu") })
        #expect(!state.warnings.contains { $0.contains(".hidden") })
        #expect(state.isSynced)
    }

    @Test func mpasByTargetAreIndexedWithGroupOldestFirst() async throws {
        let state = try Self.good()
        let web = try await state.multidimPodAutoscalers(namespace: "prod", targetGroup: "apps", targetKind: "Deployment", targetName: "web")
        #expect(web.map(\.name) == ["web-old", "web-new"])
        #expect(web.first?.recommendation?.recommendation(forContainer: "web")?.target["memory"] == (try Quantity(parsing: "1e9")))
        let other = try await state.multidimPodAutoscalers(namespace: "prod", targetGroup: "example.com", targetKind: "Deployment", targetName: "web")
        #expect(other.map(\.name) == ["other-group"])
        #expect(try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps", targetKind: "Deployment", targetName: "web").isEmpty)
        let all = try await state.multidimPodAutoscalers(namespace: "prod")
        #expect(Set(all.map(\.name)) == ["web-old", "web-new", "other-group", "broken-quantity"])
        let broken = try #require(all.first { $0.name == "broken-quantity" })
        #expect(broken.problems.count == 1)
    }

    @Test func limitRangesByNameAndTypedListItems() async throws {
        let state = try Self.good()
        let lrs = try await state.limitRanges(namespace: "prod")
        #expect(lrs.map(\.name) == ["aa-first", "zz-second"])
        #expect(lrs.first?.items.map(\.type) == [.pod, .container])
        #expect(try await state.limitRanges(namespace: "nowhere").isEmpty)
        let key = ObjectKey(apiVersion: "v1", kind: "LimitRange", namespace: "prod", name: "zz-second")
        #expect(try await state.object(key)?["kind"] == "LimitRange")
    }

    @Test func objectsByKeyDefaultNamespaceAndSources() async throws {
        let state = try Self.good()
        let rc = ObjectKey(apiVersion: "v1", kind: "ReplicationController", namespace: "default", name: "legacy")
        let object = try #require(try await state.object(rc))
        #expect(object["metadata"]?["namespace"] == "default")
        #expect(state.source(of: rc)?.file.hasSuffix("workloads.yaml") == true)
        #expect(state.source(of: rc)?.line == 16)
        let widget = ObjectKey(apiVersion: "example.com/v2", kind: "Widget", namespace: "prod", name: "gadget")
        #expect(try await state.object(widget) != nil)
        #expect(try await state.object(ObjectKey(apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "nope")) == nil)
        let ns = ObjectKey(apiVersion: "v1", kind: "Namespace", namespace: "", name: "prod")
        #expect(try await state.object(ns) != nil)
    }

    @Test func scaleSelectors() async throws {
        let state = try Self.good()
        func sel(_ v: String, _ k: String, _ ns: String, _ n: String) async throws -> String? {
            try await state.scaleSelector(ObjectKey(apiVersion: v, kind: k, namespace: ns, name: n))
        }
        #expect(try await sel("apps/v1", "Deployment", "prod", "web") == "app=web,!canary,tier in (edge,front)")
        #expect(try await sel("v1", "ReplicationController", "default", "legacy") == "app=legacy,zone=b")
        #expect(try await sel("example.com/v1", "Widget", "prod", "gadget") == "app=gadget")
        #expect(try await sel("apps/v1", "Deployment", "prod", "absent") == nil)
    }

    @Test func namespaceLabels() async throws {
        let state = try Self.good()
        #expect(try await state.namespaceLabels("prod") == ["env": "production", "kubernetes.io/metadata.name": "prod"])
        #expect(try await state.namespaceLabels("default") == ["kubernetes.io/metadata.name": "default"])
        #expect(try await state.namespaceLabels("unknown") == nil)
    }

    @Test func inMemoryObjects() async throws {
        let state = try SnapshotClusterState(objects: [
            ["apiVersion": "v1", "kind": "List", "items": [["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"]]]],
            .null,
        ])
        #expect(state.objectCount == 1)
        #expect(try await state.object(ObjectKey(apiVersion: "v1", kind: "Pod", namespace: "default", name: "p")) != nil)
    }

    @Test func loadsTheExampleState() async throws {
        let state = try SnapshotClusterState.load(directory: FixturePaths.examples)
        let mpas = try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps", targetKind: "Deployment", targetName: "hamster")
        #expect(mpas.map(\.name) == ["hamster-mpa"])
        #expect(mpas.first?.recommendation?.containerRecommendations.map(\.containerName) == ["hamster"])
        #expect(try await state.limitRanges(namespace: "default").map(\.name) == ["defaults"])
        let rs = ObjectKey(apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "default", name: "hamster-7d9f8b6c5d")
        let owner = try #require(try await state.object(rs)).objectMetaController
        #expect(owner?.kind == "Deployment")
        #expect(try await state.scaleSelector(rs) == "app=hamster,pod-template-hash=7d9f8b6c5d")
        #expect(try await state.namespaceLabels("default")?["mpa-admission.k8s.io/enabled"] == "true")
        // The reviews and the rules configurations beside the manifests are skipped, not errors.
        #expect(state.skipped.count == 4)
        #expect(state.warnings.isEmpty)
    }

    @Test func loadsTheBenchSnapshot() async throws {
        let dir = try #require(FixturePaths.benchSnapshot, "../shared/tools/bench-data/snapshot is missing")
        let state = try SnapshotClusterState.load(directory: dir)
        let mpas = try await state.multidimPodAutoscalers(namespace: "default", targetGroup: "apps", targetKind: "Deployment", targetName: "hamster")
        #expect(mpas.map(\.name) == ["hamster-mpa"])
        #expect(try await state.limitRanges(namespace: "default").first?.items.first?.maxLimitRequestRatio["cpu"] == (try Quantity(parsing: "4")))
    }

    struct BadRow: CustomStringConvertible, Sendable {
        var directory: String
        var file: String
        var line: Int?
        var column: Int?
        var path: String
        var contains: String
        var description: String { directory }
    }

    static let badRows: [BadRow] = [
        BadRow(directory: "badyaml", file: "pod.yaml", line: 7, column: 4, path: "", contains: "invalid YAML"),
        BadRow(directory: "badjson", file: "pod.json", line: 3, column: 27, path: "", contains: "invalid JSON"),
        BadRow(directory: "nokind", file: "x.yaml", line: 1, column: 1, path: "kind", contains: "is required"),
        BadRow(directory: "noname", file: "x.yaml", line: 4, column: 3, path: "metadata.name", contains: "is required"),
        BadRow(directory: "dup", file: "x.yaml", line: 5, column: 1, path: "", contains: "duplicate object ConfigMap default/a (first in"),
        BadRow(directory: "badtype", file: "x.yaml", line: 7, column: 10, path: "metadata.labels.bad", contains: "must be a string"),
        BadRow(directory: "badmpa", file: "x.json", line: 5, column: 28, path: "items[1].spec.scaleTargetRef", contains: "must be an object"),
        BadRow(directory: "badlr", file: "x.yaml", line: 8, column: 17, path: "spec.limits[0].max.memory", contains: "invalid quantity"),
        BadRow(directory: "notobject", file: "x.yaml", line: 1, column: 1, path: "", contains: "expected a Kubernetes object or list"),
    ]

    @Test(arguments: badRows)
    func badFilesNameFileLineAndField(_ row: BadRow) {
        do {
            _ = try SnapshotClusterState.load(directory: FixturePaths.fixture("bad/" + row.directory))
            Issue.record("expected an error")
        } catch {
            #expect(error.file.hasSuffix("bad/\(row.directory)/\(row.file)"), "\(error)")
            #expect(error.line == row.line, "\(error)")
            #expect(error.column == row.column, "\(error)")
            #expect(error.path == row.path, "\(error)")
            #expect(error.message.contains(row.contains), "\(error)")
            #expect(error.description.contains("\(row.file):\(row.line ?? 0)"), "\(error)")
        }
    }

    /// The directory walk itself (no Foundation enumerator since issue 9): nested directories are
    /// read, hidden entries and everything under them skipped, a symbolic link to a file is read,
    /// a symbolic link to a directory is not followed; the root may end in "/".
    struct WalkRow: Sendable, CustomTestStringConvertible {
        var name: String
        var files: [String]           // created with a ConfigMap each
        var fileLinks: [String: String] = [:]  // link -> target file (relative to the root)
        var directoryLinks: [String: String] = [:]
        var trailingSlash = false
        var expected: [String]        // paths relative to the root, in load order
        var testDescription: String { name }
    }

    static let walkRows: [WalkRow] = [
        WalkRow(name: "nested and sorted", files: ["b.yaml", "a/z.json", "a/b/c.yml", "c.txt"],
                expected: ["a/b/c.yml", "a/z.json", "b.yaml"]),
        WalkRow(name: "hidden file and hidden directory", files: [".x.yaml", ".d/y.yaml", "d/.z.yaml", "d/w.yaml"],
                expected: ["d/w.yaml"]),
        WalkRow(name: "symlink to a file is read", files: ["real/a.yaml"], fileLinks: ["l.yaml": "real/a.yaml"],
                expected: ["l.yaml", "real/a.yaml"]),
        WalkRow(name: "symlink to a directory is not followed", files: ["real/a.yaml"], directoryLinks: ["loop": "."],
                expected: ["real/a.yaml"]),
        WalkRow(name: "root with a trailing slash", files: ["a.yaml"], trailingSlash: true, expected: ["a.yaml"]),
    ]

    @Test(arguments: walkRows)
    func directoryWalk(_ row: WalkRow) throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.path + "/snapshot-walk-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? fm.removeItem(atPath: root) }
        for (i, file) in row.files.enumerated() {
            let path = root + "/" + file
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\(i)\n  namespace: default\n"
            #expect(fm.createFile(atPath: path, contents: Data(text.utf8)))
        }
        for (link, target) in row.fileLinks { try fm.createSymbolicLink(atPath: root + "/" + link, withDestinationPath: root + "/" + target) }
        for (link, target) in row.directoryLinks { try fm.createSymbolicLink(atPath: root + "/" + link, withDestinationPath: root + "/" + target) }
        let files = try SnapshotClusterState.files(under: row.trailingSlash ? root + "/" : root)
        #expect(files == row.expected.map { root + "/" + $0 })
    }

    @Test func missingDirectory() {
        #expect(throws: SnapshotError.self) { _ = try SnapshotClusterState.load(directory: FixturePaths.fixture("no-such-dir")) }
    }
}

extension JSONValue {
    fileprivate var objectMetaController: OwnerReference? {
        (try? ObjectMeta(object: self))?.controllerReference
    }
}
