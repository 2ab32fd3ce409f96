#ifndef AGENTTRAIL_FUZZ_DRIVER_H
#define AGENTTRAIL_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer (`LLVMFuzzerRunDriver`, in the runtime that `-sanitize=fuzzer` links) on `test_one_input`.
///
/// SwiftPM links an executable target with `--defsym main=<Target>_main`, so libFuzzer's own `main` is never used:
/// each fuzz target defines `<Target>_main` with `@_cdecl` and calls this.
int agenttrail_fuzz_main(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
