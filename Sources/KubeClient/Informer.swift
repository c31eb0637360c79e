import JSON
import Logging
import Synchronization

/// Timing knobs of an informer (tests shrink them).
public struct InformerTiming: Sendable {
    public var initialBackoff: Duration = .milliseconds(500)
    public var maxBackoff: Duration = .seconds(30)
    /// `timeoutSeconds` asked of each watch; the server ends the stream after it and we re-watch.
    public var watchTimeoutSeconds: ClosedRange<Int> = 300...600
    /// A watch with no byte (event or bookmark) for this long beyond its timeout is presumed dead.
    public var idleMargin: Duration = .seconds(30)
    /// Items per LIST page.
    public var pageSize = 500

    public init() {}
}

/// LIST then WATCH one resource into an `InformerSink`, forever: resumes the watch from the
/// last resourceVersion after a drop (exponential backoff), re-lists on `410 Gone` (an HTTP
/// 410 or an ERROR event carrying it), applies ADDED/MODIFIED/DELETED, takes BOOKMARK
/// resourceVersions, and backs off on other ERROR events.
public final class Informer: Sendable {
    public let resource: ResourceType
    public let scope: NamespaceScope
    let client: KubeHTTPClient
    let sink: any InformerSink
    let events: ClusterStateEvents
    let timing: InformerTiming
    let logger: Logger

    private struct Progress {
        var synced = false
        var resourceVersion = ""
        var lists = 0
        var watches = 0
    }
    private let progress = Mutex(Progress())
    private let onSynced: @Sendable () -> Void

    public init(resource: ResourceType, scope: NamespaceScope, client: KubeHTTPClient, sink: any InformerSink,
                events: ClusterStateEvents = .none, timing: InformerTiming = InformerTiming(),
                logger: Logger, onSynced: @escaping @Sendable () -> Void = {}) {
        self.resource = resource
        self.scope = scope
        self.client = client
        self.sink = sink
        self.events = events
        self.timing = timing
        self.logger = logger
        self.onSynced = onSynced
    }

    /// True once the first LIST has been stored (stays true across later re-lists).
    public var isSynced: Bool { progress.withLock { $0.synced } }
    /// The resourceVersion the next watch resumes from.
    public var resourceVersion: String { progress.withLock { $0.resourceVersion } }
    /// LISTs and WATCH requests made so far (for tests and diagnostics).
    public var counts: (lists: Int, watches: Int) { progress.withLock { ($0.lists, $0.watches) } }

    private var listNamespace: String? { resource.namespaced ? scope.only : nil }

    private func included(_ object: JSONValue) -> Bool {
        let meta = object["metadata"]
        let ns = resource.namespaced ? meta?["namespace"]?.stringValue ?? "" : meta?["name"]?.stringValue ?? ""
        return scope.includes(ns)
    }

    struct Gone: Error {}

    /// Runs until the task is cancelled.
    public func run() async {
        var backoff = timing.initialBackoff
        var needsList = true
        while !Task.isCancelled {
            do {
                if needsList {
                    try await list()
                    needsList = false
                }
                let delivered = try await watch()
                if delivered { backoff = timing.initialBackoff }
            } catch is Gone {
                logger.info("watch resourceVersion expired, re-listing", metadata: ["resource": "\(resource)"])
                events.watchRestart(resource.kind)
                needsList = true
            } catch KubeError.cancelled {
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("list/watch failed, retrying", metadata: [
                    "resource": "\(resource)", "error": "\(error)", "backoff": "\(backoff)"])
                events.watchRestart(resource.kind)
                do { try await Task.sleep(for: backoff) } catch { return }
                backoff = min(backoff * 2, timing.maxBackoff)
            }
        }
    }

    /// Pages through the collection and replaces the sink's content.
    func list() async throws {
        var items: [JSONValue] = []
        var continueToken = ""
        var resourceVersion = ""
        progress.withLock { $0.lists += 1 }
        while true {
            var query = [("limit", String(timing.pageSize))]
            if !continueToken.isEmpty { query.append(("continue", continueToken)) }
            let path = resource.collectionPath(namespace: listNamespace) + URLEncoding.query(query)
            let page: JSONValue
            do { page = try await client.json(KubeRequest(path: path)) } catch KubeError.status(410, _, _) where !continueToken.isEmpty {
                // The continue token expired mid-list: start over.
                items.removeAll()
                continueToken = ""
                continue
            }
            guard let pageItems = page["items"]?.arrayValue else {
                throw KubeError.decoding("\(resource) list has no items array")
            }
            items.append(contentsOf: pageItems.filter(included))
            resourceVersion = page["metadata"]?["resourceVersion"]?.stringValue ?? resourceVersion
            continueToken = page["metadata"]?["continue"]?.stringValue ?? ""
            if continueToken.isEmpty { break }
        }
        guard !resourceVersion.isEmpty else {
            throw KubeError.decoding("\(resource) list has no metadata.resourceVersion")
        }
        sink.replace(items)
        let first = progress.withLock { p -> Bool in
            p.resourceVersion = resourceVersion
            defer { p.synced = true }
            return !p.synced
        }
        events.objects(resource.kind, sink.count)
        logger.debug("listed", metadata: ["resource": "\(resource)", "count": "\(sink.count)",
                                          "resourceVersion": "\(resourceVersion)"])
        if first { onSynced() }
    }

    /// One watch from the current resourceVersion until the server ends it (returns whether any
    /// event arrived), it drops (throws), or it reports 410 (`Gone`).
    func watch() async throws -> Bool {
        let timeout = Int.random(in: timing.watchTimeoutSeconds)
        let query = [("watch", "1"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
                     ("timeoutSeconds", String(timeout))]
        let request = KubeRequest(path: resource.collectionPath(namespace: listNamespace) + URLEncoding.query(query))
        let idle = Duration.seconds(timeout) + timing.idleMargin
        let cancellation = StreamCancellation()
        progress.withLock { $0.watches += 1 }
        return try await withTaskCancellationHandler {
            try await Blocking.run("kubeclient.watch.\(resource.resource)") {
                var splitter = LineSplitter(maxLine: 64 << 20)
                var delivered = false
                do {
                    try self.client.streamBlocking(request, idleTimeout: idle, cancellation: cancellation) { bytes in
                        try splitter.feed(bytes) { line in
                            try self.handle(line: line)
                            delivered = true
                        }
                        return true
                    }
                } catch KubeError.status(410, _, _) {
                    throw Gone()
                }
                return delivered
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Applies one watch event line.
    func handle(line: ArraySlice<UInt8>) throws {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        let event: JSONValue
        do { event = try JSONParser.parse(Array(line)) } catch {
            throw KubeError.decoding("watch event is not JSON: \(error)")
        }
        guard let type = event["type"]?.stringValue, let object = event["object"] else {
            throw KubeError.decoding("watch event without type/object")
        }
        let rv = object["metadata"]?["resourceVersion"]?.stringValue
        switch type {
        case "ADDED", "MODIFIED":
            if included(object) { sink.upsert(object) } else { sink.delete(object) }
        case "DELETED":
            sink.delete(object)
        case "BOOKMARK":
            break
        case "ERROR":
            let code = object["code"]?.int64Value ?? 0
            if code == 410 { throw Gone() }
            throw KubeError.status(code: Int(code), reason: object["reason"]?.stringValue ?? "",
                                   message: object["message"]?.stringValue ?? "watch ERROR event")
        default:
            throw KubeError.decoding("unknown watch event type \(type)")
        }
        if let rv, !rv.isEmpty { progress.withLock { $0.resourceVersion = rv } }
        if type != "BOOKMARK" { events.objects(resource.kind, sink.count) }
    }
}

/// Splits a byte stream into newline-terminated lines (watch events are one JSON per line).
struct LineSplitter {
    private var pending: [UInt8] = []
    let maxLine: Int

    init(maxLine: Int) { self.maxLine = maxLine }

    mutating func feed(_ bytes: ArraySlice<UInt8>, _ line: (ArraySlice<UInt8>) throws -> Void) throws {
        var rest = bytes
        while let nl = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                try line(rest[rest.startIndex..<nl])
            } else {
                pending.append(contentsOf: rest[rest.startIndex..<nl])
                let whole = pending
                pending.removeAll(keepingCapacity: true)
                try line(whole[...])
            }
            rest = rest[(nl + 1)...]
        }
        pending.append(contentsOf: rest)
        guard pending.count <= maxLine else { throw KubeError.decoding("watch event longer than \(maxLine) bytes") }
    }
}
