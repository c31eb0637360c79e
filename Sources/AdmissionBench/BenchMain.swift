#if canImport(Glibc)
import Glibc
#endif
import AdmissionAPI
import AdmissionRules
import AdmissionWebhook
import JSON
import JSONPatch
import Logging
import MPA
import WebhookHTTP

/// `AdmissionBench [--body FILE] [--state DIR] [--iterations N] [--containers N] [--sweep] [--scale] [--only TEXT]`
/// Release-mode micro-benchmark of the request path without sockets: JSON parse, review
/// decode, rules (the product's MPA rules over the snapshot), response encode, the whole
/// `engine.process`, and the HTTP handler (logging at warning and at info level).
/// `--sweep`: pods of 1…100 containers; `--scale`: the same pod with 10,000 more MPAs in the
/// cluster (100 namespaces, 100 in the pod's; or none in the pod's).
/// Run from the package root: `swift run -c release AdmissionBench --sweep --scale`.
enum BenchMain {
    struct Options {
        var body = "../shared/tools/bench-data/pod-create.json"
        var state = "../shared/tools/bench-data/snapshot"
        var scale = false
        var iterations = 2000
        var containers = 50
        var sweep = false
        /// Run only the cases whose name contains this (e.g. under callgrind).
        var only: String?
    }

    static func run(_ arguments: [String]) async {
        var o = Options()
        var args = arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--body": o.body = args.next() ?? o.body
            case "--iterations": o.iterations = args.next().flatMap { Int($0) } ?? o.iterations
            case "--containers": o.containers = args.next().flatMap { Int($0) } ?? o.containers
            case "--sweep": o.sweep = true
            case "--scale": o.scale = true
            case "--state": o.state = args.next() ?? o.state
            case "--only": o.only = args.next()
            default:
                print("usage: AdmissionBench [--body FILE] [--state DIR] [--iterations N] [--containers N] [--sweep] [--scale] [--only TEXT]")
                exit(a == "-h" || a == "--help" ? 0 : 2)
            }
        }
        guard let body = readFile(o.body) else {
            print("AdmissionBench: cannot read \(o.body)")
            exit(2)
        }
        let review = (try? JSONParser.parse(body)) ?? .null
        guard let big = PodGenerator.review(review, containers: o.containers),
              let template = review["request"]?["object"]?["spec"]?["containers"]?[0]?["name"]?.stringValue else {
            print("AdmissionBench: \(o.body) has no pod with a container to copy")
            exit(2)
        }
        let objects = BenchState.objects(directory: o.state)
        let engine: AdmissionEngine
        let bigEngine: AdmissionEngine
        do {
            engine = try BenchRules.engine(state: try SnapshotClusterState(objects: objects))
            // The generated containers get the template container's recommendation.
            let bigObjects = BenchState.withRecommendations(objects, container: template, count: max(100, o.containers))
            bigEngine = try BenchRules.engine(state: try SnapshotClusterState(objects: bigObjects))
        } catch {
            print("AdmissionBench: \(o.state): \(error)")
            exit(2)
        }
        print("rules: \(engine.rules.names.joined(separator: ", ")); state: \(objects.count) objects from \(o.state)")
        var sink = 0
        let bigBody = JSONWriter.bytes(big)
        for (label, bytes, eng, n) in [("bench review", body, engine, o.iterations),
                                       ("\(o.containers)-container pod", bigBody, bigEngine, max(1, o.iterations / max(1, o.containers / 4)))] {
            print("== \(label): \(bytes.count) bytes, \(n) iterations × 5 batches")
            if case .reviewed(let x) = await eng.process(bytes, endpoint: .mutating) {
                print("   answer: allowed \(x.response.allowed), \(x.response.patch.count) patch operations, rules \(x.report.summary), "
                      + "response fnv1a64 \(String(fnv1a64(x.bytes), radix: 16))")
            }
            for m in await cases(bytes, engine: eng, iterations: n, only: o.only, sink: &sink) { print(m.line) }
        }
        if o.scale {
            let namespace = review["request"]?["namespace"]?.stringValue ?? "default"
            print("== scaling: engine.process of the bench review as the cluster grows")
            let setups: [(String, [JSONValue])] = [
                ("bench snapshot (\(objects.count) objects)", objects),
                ("+10,000 MPAs in 100 namespaces, 100 in the pod's", objects + BenchState.scaleObjects(mpas: 10_000, namespaces: 100, podNamespace: namespace)),
                ("+10,000 MPAs in 100 other namespaces", objects + BenchState.scaleObjects(mpas: 10_000, namespaces: 100, podNamespace: "elsewhere")),
                ("+1,000 MPAs, all in the pod's namespace", objects + BenchState.scaleObjects(mpas: 1_000, namespaces: 1, podNamespace: namespace)),
            ]
            for (label, objs) in setups {
                guard let state = try? SnapshotClusterState(objects: objs), let eng = try? BenchRules.engine(state: state) else {
                    print("AdmissionBench: could not build the state for \(label)")
                    continue
                }
                let m = await Measure.run("process, " + label, iterations: o.iterations) {
                    if case .reviewed(let x) = await eng.process(body, endpoint: .mutating) { sink &+= x.bytes.count }
                }
                print(m.line)
            }
        }
        if o.sweep {
            print("== pod size sweep: engine.process µs/op per container count")
            for k in [1, 5, 10, 25, 50, 100] {
                guard let r = PodGenerator.review(review, containers: k) else { continue }
                let bytes = JSONWriter.bytes(r)
                let m = await Measure.run("process, \(k) containers (\(bytes.count) B)", iterations: max(20, o.iterations / k)) {
                    if case .reviewed(let x) = await bigEngine.process(bytes, endpoint: .mutating) { sink &+= x.bytes.count }
                }
                print(m.line + "  → \(Double(Int(m.microsecondsPerOp / Double(k) * 100)) / 100) µs/container")
            }
        }
        print("(checksum \(sink))")
    }

    static func cases(_ body: [UInt8], engine: AdmissionEngine, iterations n: Int, only: String?,
                      sink: inout Int) async -> [Measurement] {
        var out: [Measurement] = []
        func run(_ name: String, _ body: () async -> Void) async {
            if let only, !name.contains(only) { return }
            out.append(await Measure.run(name, iterations: n, body))
        }
        guard let review = try? AdmissionReview.decode(body) else {
            print("AdmissionBench: not an AdmissionReview")
            return out
        }
        let (response, _) = await engine.review(review.request, endpoint: .mutating)
        var s = 0
        await run("JSONParser.parse") {
            if case .object(let o)? = try? JSONParser.parse(body) { s &+= o.count }
        }
        await run("AdmissionReview.decode (parse + fields)") {
            if let r = try? AdmissionReview.decode(body) { s &+= r.request.uid.utf8.count }
        }
        await run("rules (engine.review)") {
            let (r, _) = await engine.review(review.request, endpoint: .mutating)
            s &+= r.patch.count
        }
        if let object = review.request.object {
            // The engine applies each defaulter's patch to the object it hands the next rule.
            await run("JSONPatch.apply (the rules' patch)") {
                if case .object(let o)? = try? JSONPatch.apply(response.patch, to: object) { s &+= o.count }
            }
        }
        await run("encode (AdmissionReviewEncoder)") {
            s &+= AdmissionReviewEncoder.encode(response, version: review.version, endpoint: .mutating).bytes.count
        }
        await run("decode → rules → encode (engine.process)") {
            if case .reviewed(let x) = await engine.process(body, endpoint: .mutating) { s &+= x.bytes.count }
        }
        let request = HTTPRequest(method: "POST", path: "/mutate", query: "timeout=10s",
                                  headers: ["Content-Type": "application/json", "Accept": "application/json, */*"],
                                  body: body)
        for level in [Logger.Level.warning, .info] {
            var logger = Logger(label: "bench", factory: { label in DiscardingLogHandler(label: label) })
            logger.logLevel = level
            let handler = AdmissionHandler(endpoint: .mutating, engine: engine, logger: logger)
            await run("AdmissionHandler.handle, log level \(level)") {
                s &+= await handler.handle(request).body.count
            }
        }
        sink &+= s
        return out
    }

    /// FNV-1a (64-bit) of the response bytes: equal before and after a change means the
    /// same patch bytes went out.
    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

/// Formats every event's metadata the way a line-oriented handler must (so the cost of
/// logging at that level is paid) and throws the text away.
struct DiscardingLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = event.message.description
        for (k, v) in (event.metadata ?? [:]).sorted(by: { $0.key < $1.key }) { line += " \(k)=\(v)" }
        if line.isEmpty { print("") }
    }
}
