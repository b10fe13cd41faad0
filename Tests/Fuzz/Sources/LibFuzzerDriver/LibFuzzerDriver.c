#include "LibFuzzerDriver.h"

// Weak: without -sanitize=fuzzer nothing defines it and it is null, so an ordinary build links.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int run_libfuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
