/* Fuzz target: the batch manifest (SPEC §3.6). */
#include "manifest.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag *d = diag_new();
    manifest_free(manifest_parse((const char *)data, size, "batch/manifest.yaml", d));
    diag_free(d);
    return 0;
}
