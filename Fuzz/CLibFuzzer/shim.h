// libFuzzer's entry point for programs with their own `main` (compiler-rt's FuzzerInterface.h;
// the runtime is linked by `-sanitize=fuzzer`). Runs the fuzzing loop on `callback` with
// libFuzzer's command-line flags and returns the process exit code.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
