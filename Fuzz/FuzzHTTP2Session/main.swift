// libFuzzer driver for FuzzEntry.http2Session; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). The shared part is Sources/FuzzTargets/LibFuzzerDriver.swift;
// each executable needs its own LLVMFuzzerTestOneInput.
import FuzzTargets
import Glibc

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LibFuzzerDriver.testOne(.http2Session, data, size)
}

LibFuzzerDriver.run(fuzzOne)
#else
fputs("FuzzHTTP2Session is a libFuzzer target: build and run it with scripts/fuzz FuzzHTTP2Session\n", stderr)
exit(2)
#endif
