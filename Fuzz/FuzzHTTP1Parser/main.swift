// libFuzzer driver for FuzzEntry.http1Parser; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). libFuzzer's main calls LLVMFuzzerTestOneInput; should the
// executable's own main run instead, it starts libFuzzer through LLVMFuzzerRunDriver. Either
// way libFuzzer's usual flags and corpus directories pass through unchanged.
import FuzzTargets
import Glibc

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let problems = FuzzEntry.http1Parser.runSync(bytes) ?? []
    if !problems.isEmpty {
        fatalError("FuzzHTTP1Parser invariant broken:\n" + problems.joined(separator: "\n"))
    }
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
#else
fputs("FuzzHTTP1Parser is a libFuzzer target: build and run it with scripts/fuzz FuzzHTTP1Parser\n", stderr)
exit(2)
#endif
