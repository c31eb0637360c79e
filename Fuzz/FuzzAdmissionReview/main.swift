// libFuzzer driver for FuzzEntry.admissionReview; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). libFuzzer's main calls LLVMFuzzerTestOneInput; should the
// executable's own main run instead, it starts libFuzzer through LLVMFuzzerRunDriver. Either
// way libFuzzer's usual flags and corpus directories pass through unchanged.
import Dispatch
import FuzzTargets
import Glibc
import Synchronization

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

final class ProblemsBox: Sendable {
    let problems = Mutex<[String]>([])
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // The engine is async, but nothing in it suspends: an immediate task runs it to the end on
    // this (libFuzzer's) thread. Should it suspend after all, the wait below covers it; a
    // thread hop per input costs ~100x the execs on a loaded machine.
    let result = ProblemsBox()
    let done = DispatchSemaphore(value: 0)
    Task.immediate {
        let problems = await FuzzEntry.admissionReview.run(bytes)
        result.problems.withLock { $0 = problems }
        done.signal()
    }
    done.wait()
    let problems = result.problems.withLock { $0 }
    if !problems.isEmpty {
        fatalError("FuzzAdmissionReview invariant broken:\n" + problems.joined(separator: "\n"))
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
#else
fputs("FuzzAdmissionReview is a libFuzzer target: build and run it with scripts/fuzz FuzzAdmissionReview\n", stderr)
exit(2)
#endif
