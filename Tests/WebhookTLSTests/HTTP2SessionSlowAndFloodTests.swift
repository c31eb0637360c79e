import CNghttp2
import Testing
@testable import WebhookTLS

/// Slow requests abandoned by age, and the GOAWAY a fatal receive error now sends.
struct HTTP2SessionSlowAndFloodTests {
    static let get = [(":method", "GET"), (":scheme", "https"), (":path", "/slow"), (":authority", "x")]
    static let post = [(":method", "POST"), (":scheme", "https"), (":path", "/slow"), (":authority", "x")]

    @Test func requestStillArrivingIsAbandonedOnceOld() async throws {
        let server = try HTTP2Session()
        // Stream 1: headers and some body, no END_STREAM. Stream 3: complete GET.
        let input = clientPreface
            + frame(type: 1, flags: 0x4, stream: 1, payload: headerBlock(Self.post))
            + frame(type: 0, stream: 1, payload: Array("part".utf8))
            + frame(type: 1, flags: 0x5, stream: 3, payload: headerBlock(Self.get))
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(events.count == 1)  // only the complete GET
        #expect(server.abandonRequests(olderThan: .seconds(60)).isEmpty)
        try await Task.sleep(for: .milliseconds(20))
        #expect(server.abandonRequests(olderThan: .milliseconds(10)) == [1])
        #expect(server.abandonRequests(olderThan: .zero).isEmpty)  // each only once

        server.submitResponse(streamID: 1, status: 408, headers: [], body: Array("slow".utf8))
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let sent = frames(out)
        #expect(sent.contains { $0.type == 1 && $0.stream == 1 })
        #expect(sent.contains { $0.type == 3 && $0.stream == 1 })  // RST_STREAM: stop sending
        // More body for the abandoned stream is ignored; the connection stays usable.
        let late = frame(type: 0, flags: 0x1, stream: 1, payload: Array("rest".utf8))
        #expect(late.withUnsafeBytes { server.receive($0) }.isEmpty)
        #expect(server.isAlive)
    }

    @Test func continuationFloodGetsGoAwayEnhanceYourCalm() throws {
        let server = try HTTP2Session()
        var input = clientPreface + frame(type: 1, flags: 0, stream: 1, payload: headerBlock(Self.get))
        for _ in 0..<50 { input += frame(type: 9, stream: 1, payload: []) }
        let events = input.withUnsafeBytes { server.receive($0) }
        #expect(events.count == 1)
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let goaway = frames(out).filter { $0.type == 7 }
        #expect(goaway.map { Array($0.payload.dropFirst(4).prefix(4)) } == [[0, 0, 0, 0x0B]])
        #expect(!server.isAlive)
    }

    @Test func badPrefaceGetsGoAwayProtocolError() throws {
        let server = try HTTP2Session()
        _ = Array("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".utf8).withUnsafeBytes { server.receive($0) }
        var out: [UInt8] = []
        server.drainOutput(into: &out)
        let goaway = frames(out).filter { $0.type == 7 }
        #expect(goaway.map { Array($0.payload.dropFirst(4).prefix(4)) } == [[0, 0, 0, 0x01]])
    }
}
