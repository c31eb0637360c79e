import FoundationEssentials
import JSON
import YAMLValue

extension SnapshotClusterState {
    /// Loads every `*.yaml`, `*.yml` and `*.json` file under `directory` (recursively, sorted,
    /// hidden entries skipped). A single file path is accepted too. Startup only.
    /// FoundationEssentials, not Foundation: its FileManager is Swift on POSIX calls, where
    /// Foundation's directory enumerator goes through NSString/CoreFoundation code that would
    /// then stay mapped (resident) in the server for nothing.
    public static func load(directory: String) throws(SnapshotError) -> SnapshotClusterState {
        var builder = SnapshotBuilder()
        for file in try files(under: directory) {
            try load(file: file, into: &builder)
        }
        return SnapshotClusterState(index: builder.finish())
    }

    static func files(under path: String) throws(SnapshotError) -> [String] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SnapshotError(file: path, message: "no such file or directory")
        }
        guard isDirectory else { return [path] }
        var out: [String] = []
        try collect(directory: path.hasSuffix("/") ? String(path.dropLast()) : path, relative: "", into: &out)
        return out.sorted()
    }

    /// Depth-first walk: hidden entries (and everything under a hidden directory) are skipped,
    /// symbolic links to directories are not followed (as Foundation's enumerator did not),
    /// symbolic links to files are read.
    private static func collect(directory root: String, relative: String, into out: inout [String]) throws(SnapshotError) {
        let fm = FileManager.default
        let dir = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: dir)
        } catch {
            throw SnapshotError(file: dir, message: "cannot list the directory")
        }
        for name in names where !name.hasPrefix(".") {
            let entry = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + entry
            var isDirectory = false
            guard fm.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory {
                let isLink = (try? fm.attributesOfItem(atPath: full)[.type] as? FileAttributeType) == .typeSymbolicLink
                if !isLink { try collect(directory: root, relative: entry, into: &out) }
            } else if isManifest(name) {
                out.append(full)
            }
        }
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
