import Logging

/// The `--log-format` choices.
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}

/// The handler factory the app passes to `LoggingSystem.bootstrap` (this library never bootstraps).
///
/// Logging conventions for the whole project:
/// - one event per line on stderr; stable message text, variable parts in metadata;
/// - `info` and above never carry request/response bodies, patches, object contents, tokens,
///   keys or certificate material; identify a request by `uid`, `kind`, `namespace`, `name`, `operation`;
/// - bodies and patches may be logged at `debug`/`trace` only, for local debugging;
/// - errors go in the `error` metadata key (or `Logger.log(error:)`), never interpolated with secrets.
public func makeLogHandlerFactory(format: LogFormat, level: Logger.Level,
                                  sink: LogSink = .standardError,
                                  clock: @escaping @Sendable () -> WallTime = WallTime.now)
    -> @Sendable (String) -> any LogHandler {
    { label in makeLogHandler(label: label, format: format, level: level, sink: sink, clock: clock) }
}

/// One handler, e.g. for `Logger(label:factory:)` when a component wants a logger without the global system.
public func makeLogHandler(label: String, format: LogFormat, level: Logger.Level,
                           sink: LogSink = .standardError, metadataProvider: Logger.MetadataProvider? = nil,
                           clock: @escaping @Sendable () -> WallTime = WallTime.now) -> any LogHandler {
    switch format {
    case .json:
        return JSONLogHandler(label: label, level: level, sink: sink, metadataProvider: metadataProvider, clock: clock)
    case .text:
        return TextLogHandler(label: label, level: level, sink: sink, metadataProvider: metadataProvider, clock: clock)
    }
}
