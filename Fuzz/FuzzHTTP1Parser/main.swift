// libFuzzer driver for FuzzEntry.http1Parser; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). The shared part is Sources/FuzzTargets/LibFuzzerDriver.swift;
// each executable needs its own LLVMFuzzerTestOneInput.
import FuzzTargets
import Glibc

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LibFuzzerDriver.testOne(.http1Parser, data, size)
}

LibFuzzerDriver.run(fuzzOne)
#else
fputs("FuzzHTTP1Parser is a libFuzzer target: build and run it with scripts/fuzz FuzzHTTP1Parser\n", stderr)
exit(2)
#endif
