import Foundation
import Logging
@testable import Observability
import Synchronization
import Testing

/// Collects the lines a handler writes.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    var sink: LogSink { LogSink { bytes in self.lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite struct LogHandlerTests {
    static let fixedClock: @Sendable () -> WallTime = { WallTime(seconds: 1_795_330_800, nanoseconds: 123_456_789) }

    static func logger(_ format: LogFormat, _ collector: LineCollector, level: Logger.Level = .info) -> Logger {
        Logger(label: "mpa.webhook") { label in
            makeLogHandler(label: label, format: format, level: level, sink: collector.sink, clock: fixedClock)
        }
    }

    struct Golden: Sendable {
        var metadata: Logger.Metadata
        var message: String
        var json: String
        var text: String
    }

    static let goldens: [Golden] = [
        Golden(metadata: [:], message: "listening",
               json: #"{"ts":"2026-11-22T07:00:00.123Z","level":"info","logger":"mpa.webhook","msg":"listening"}"#,
               text: "2026-11-22T07:00:00.123Z INFO listening"),
        Golden(metadata: ["uid": "7f1c", "operation": "CREATE", "kind": "Pod"], message: "admitted",
               json: #"{"ts":"2026-11-22T07:00:00.123Z","level":"info","logger":"mpa.webhook","msg":"admitted","kind":"Pod","operation":"CREATE","uid":"7f1c"}"#,
               text: "2026-11-22T07:00:00.123Z INFO admitted kind=Pod operation=CREATE uid=7f1c"),
        Golden(metadata: ["req": ["ns": "default", "name": "web-0"], "rules": ["a", "b"], "n": .stringConvertible(3)],
               message: "nested",
               json: #"{"ts":"2026-11-22T07:00:00.123Z","level":"info","logger":"mpa.webhook","msg":"nested","n":"3","req.name":"web-0","req.ns":"default","rules":["a","b"]}"#,
               text: "2026-11-22T07:00:00.123Z INFO nested n=3 req.name=web-0 req.ns=default rules=[a,b]"),
        Golden(metadata: ["reason": "spec \"bad\" = yes", "empty": "", "msg": "clash"], message: "quoted",
               json: #"{"ts":"2026-11-22T07:00:00.123Z","level":"info","logger":"mpa.webhook","msg":"quoted","empty":"","meta.msg":"clash","reason":"spec \"bad\" = yes"}"#,
               text: #"2026-11-22T07:00:00.123Z INFO quoted empty="" msg=clash reason="spec \"bad\" = yes""#),
    ]

    @Test(arguments: goldens)
    func goldenLines(golden: Golden) {
        for format in LogFormat.allCases {
            let collector = LineCollector()
            Self.logger(format, collector).info("\(golden.message)", metadata: golden.metadata)
            let expected = (format == .json ? golden.json : golden.text) + "\n"
            #expect(collector.all == [expected], "\(format)")
        }
    }

    @Test(arguments: [(Logger.Level.warning, "WARNING", "warning"), (.error, "ERROR", "error"), (.critical, "CRITICAL", "critical")])
    func levelNames(level: Logger.Level, text: String, json: String) {
        let textLines = LineCollector(), jsonLines = LineCollector()
        Self.logger(.text, textLines).log(level: level, "x")
        Self.logger(.json, jsonLines).log(level: level, "x")
        #expect(textLines.all == ["2026-11-22T07:00:00.123Z \(text) x\n"])
        #expect(jsonLines.all.first?.contains(#""level":"\#(json)""#) == true)
    }

    @Test func belowThresholdIsDropped() {
        let collector = LineCollector()
        var logger = Self.logger(.json, collector)
        logger.debug("hidden")
        logger.logLevel = .debug
        logger.debug("shown")
        #expect(collector.all.count == 1)
        #expect(collector.all.first?.contains(#""msg":"shown""#) == true)
    }

    @Test func handlerMetadataAndErrorsAreFields() {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let collector = LineCollector()
        var logger = Self.logger(.text, collector)
        logger[metadataKey: "component"] = "tls"
        logger.error("reload failed", error: Boom())
        #expect(collector.all == ["2026-11-22T07:00:00.123Z ERROR reload failed component=tls error=boom\n"])
    }

    static let nasty = "say \"hi\"\n\tnext\r\u{01}\u{1F}\u{7F} back\\slash é ✓"

    @Test func jsonEscapesEverythingAndParses() throws {
        let collector = LineCollector()
        Self.logger(.json, collector).warning("\(Self.nasty)", metadata: ["v": "\(Self.nasty)", "k\"ey": "x"])
        let line = try #require(collector.all.first)
        #expect(line.filter { $0 == "\n" || $0 == "\r\n" }.count == 1 && line.hasSuffix("\n"), "one physical line")
        #expect(!line.utf8.dropLast().contains { $0 < 0x20 }, "no raw control bytes")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == Self.nasty)
        #expect(object["v"] as? String == Self.nasty)
        #expect(object["k\"ey"] as? String == "x")
        #expect(object["ts"] as? String == "2026-11-22T07:00:00.123Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["logger"] as? String == "mpa.webhook")
    }

    @Test func textKeepsOneEventOnOneLine() throws {
        let collector = LineCollector()
        Self.logger(.text, collector).info("\(Self.nasty)", metadata: ["v": "\(Self.nasty)", "bad key=": "1"])
        let line = try #require(collector.all.first)
        #expect(line == #"2026-11-22T07:00:00.123Z INFO say "hi"\n\tnext\r\x01\x1f\x7f back\slash é ✓ bad_key_=1 v="say \"hi\"\n\tnext\r\x01\x1f\x7f back\\slash é ✓""# + "\n")
    }

    @Test func factoryHonoursFormatAndLevel() {
        let collector = LineCollector()
        let factory = makeLogHandlerFactory(format: .text, level: .notice, sink: collector.sink, clock: Self.fixedClock)
        let logger = Logger(label: "x", factory: factory)
        logger.info("dropped")
        logger.notice("kept")
        #expect(collector.all == ["2026-11-22T07:00:00.123Z NOTICE kept\n"])
    }

    /// Many threads writing through one file-descriptor writer: every line arrives whole.
    @Test func concurrentWritesDoNotInterleave() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mpa-log-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let writer = FileDescriptorWriter(fd: fd)
        let sink = LogSink(writer.write)
        let padding = String(repeating: "x", count: 5000)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let logger = Logger(label: "t\(task)") {
                        JSONLogHandler(label: $0, sink: sink, clock: Self.fixedClock)
                    }
                    for i in 0..<100 { logger.info("line", metadata: ["i": "\(i)", "pad": "\(padding)"]) }
                }
            }
        }
        close(fd)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        let lines = contents.split(separator: "\n")
        #expect(lines.count == 800)
        let parsed = lines.filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }
        #expect(parsed.count == 800)
    }
}
