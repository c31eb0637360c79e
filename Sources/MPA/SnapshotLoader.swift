import Foundation
import JSON
import YAMLValue

extension SnapshotClusterState {
    /// Loads every `*.yaml`, `*.yml` and `*.json` file under `directory` (recursively, sorted,
    /// hidden entries skipped). A single file path is accepted too. Startup only (Foundation I/O).
    public static func load(directory: String) throws(SnapshotError) -> SnapshotClusterState {
        var builder = SnapshotBuilder()
        for file in try files(under: directory) {
            try load(file: file, into: &builder)
        }
        return SnapshotClusterState(index: builder.finish())
    }

    static func files(under path: String) throws(SnapshotError) -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SnapshotError(file: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = fm.enumerator(atPath: path) else {
            throw SnapshotError(file: path, message: "cannot list the directory")
        }
        var out: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                var dir: ObjCBool = false
                if fm.fileExists(atPath: path + "/" + relative, isDirectory: &dir), dir.boolValue { enumerator.skipDescendants() }
                continue
            }
            guard isManifest(name) else { continue }
            var dir: ObjCBool = false
            let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
            if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { out.append(full) }
        }
        return out.sorted()
    }

    static func isManifest(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json")
    }

    static func load(file: String, into builder: inout SnapshotBuilder) throws(SnapshotError) {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SnapshotError(file: file, message: "cannot read the file")
        }
        let bytes = [UInt8](data)
        if file.hasSuffix(".json") {
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw SnapshotError(file: file, line: error.line, column: error.column, message: "invalid JSON: \(error.message)")
            }
            // Lines are looked up only on error (the JSON text is YAML, so the YAML reader can find them).
            try builder.add(document: value, source: SnapshotSource(file: file, line: 1), text: LazyText(bytes))
            return
        }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLValue.parseDocuments(bytes: bytes)
        } catch {
            throw SnapshotError(file: file, line: error.line, column: error.column, path: error.path, message: error.message)
        }
        let text = LazyText(bytes)
        for doc in documents {
            try builder.add(document: doc.value,
                            source: SnapshotSource(file: file, line: doc.line, documentIndex: doc.index), text: text)
        }
    }
}
