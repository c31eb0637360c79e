#if FUZZING
import Dispatch
import Glibc
import Synchronization

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// What every `Fuzz/<name>/main.swift` does around its target (compiled only with `-DFUZZING`,
/// which scripts/fuzz sets). Each executable keeps just its own `LLVMFuzzerTestOneInput`.
public enum LibFuzzerDriver {
    /// One libFuzzer input through `entry`. Broken invariants trap: that is the finding, and
    /// libFuzzer records the input.
    public static func testOne(_ entry: FuzzEntry, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        let problems = entry.runSync(bytes) ?? runToEnd(entry, bytes)
        if !problems.isEmpty {
            fatalError("\(entry.rawValue) invariant broken:\n" + problems.joined(separator: "\n"))
        }
        return 0
    }

    /// Starts libFuzzer with this process's arguments (its usual flags and corpus directories)
    /// should the executable's own main run instead of libFuzzer's.
    public static func run(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
    }

    /// The async target (the engine): nothing in it suspends, so an immediate task runs it to
    /// the end on this (libFuzzer's) thread; should it suspend after all, the wait covers it.
    /// A thread hop per input cost ~100x the execs on a loaded machine.
    private static func runToEnd(_ entry: FuzzEntry, _ bytes: [UInt8]) -> [String] {
        let result = Problems()
        let done = DispatchSemaphore(value: 0)
        Task.immediate {
            let problems = await entry.run(bytes)
            result.value.withLock { $0 = problems }
            done.signal()
        }
        done.wait()
        return result.value.withLock { $0 }
    }

    private final class Problems: Sendable {
        let value = Mutex<[String]>([])
    }
}
#endif
