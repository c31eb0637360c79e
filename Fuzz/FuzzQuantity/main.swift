// libFuzzer driver for FuzzEntry.quantity; built only by scripts/fuzz (MPA_FUZZ=1, -DFUZZING,
// -sanitize=fuzzer,address). The shared part is Sources/FuzzTargets/LibFuzzerDriver.swift;
// each executable needs its own LLVMFuzzerTestOneInput.
import FuzzTargets
import Glibc

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    LibFuzzerDriver.testOne(.quantity, data, size)
}

LibFuzzerDriver.run(fuzzOne)
#else
fputs("FuzzQuantity is a libFuzzer target: build and run it with scripts/fuzz FuzzQuantity\n", stderr)
exit(2)
#endif
