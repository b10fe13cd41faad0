#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line's options on `callback` (compiler-rt's
/// LLVMFuzzerRunDriver), or returns -1 when the program was linked without libFuzzer
/// (an ordinary `swift build`, which only checks that the fuzz targets compile).
int run_libfuzzer(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
