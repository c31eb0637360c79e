// libFuzzer driver for FuzzEntry.jsonParser; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). The shared part is Sources/FuzzTargets/LibFuzzerDriver.swift;
// each executable needs its own LLVMFuzzerTestOneInput.
import FuzzTargets
import Glibc

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LibFuzzerDriver.testOne(.jsonParser, data, size)
}

LibFuzzerDriver.run(fuzzOne)
#else
fputs("FuzzJSONParser is a libFuzzer target: build and run it with scripts/fuzz FuzzJSONParser\n", stderr)
exit(2)
#endif
