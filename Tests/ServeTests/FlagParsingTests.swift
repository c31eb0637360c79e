import AdmissionService
import Testing

extension ServeSuites {
    @Suite struct FlagParsingTests {
        @Test(arguments: [
            (":8944", "0.0.0.0", 8944),
            ("127.0.0.1:9000", "127.0.0.1", 9000),
            ("[::1]:8944", "::1", 8944),
            ("[::]:0", "::", 0),
            ("0.0.0.0:65535", "0.0.0.0", 65535),
        ])
        func listenAddresses(_ text: String, host: String, port: Int) throws {
            let a = try ListenAddress(parsing: text)
            #expect(a.host == host && a.port == port)
        }

        @Test(arguments: ["8944", ":", ":65536", ":-1", "host:", "::1:80", ":80x", ":+80", ""])
        func badListenAddresses(_ text: String) {
            #expect(throws: ServeSettingsError.self) { try ListenAddress(parsing: text) }
        }

        @Test(arguments: [
            ("25s", Duration.seconds(25)), ("25", .seconds(25)), ("500ms", .milliseconds(500)),
            ("1m30s", .seconds(90)), ("2m", .seconds(120)), ("1h", .seconds(3600)), ("0s", .zero),
        ])
        func durations(_ text: String, expected: Duration) throws {
            #expect(try DurationText.parse(text) == expected)
        }

        @Test(arguments: ["", "s", "5x", "-5s", "1.5s", "25 s", "25h", "9999999999s", "1m 30s"])
        func badDurations(_ text: String) {
            #expect(throws: ServeSettingsError.self) { try DurationText.parse(text) }
        }
    }
}
