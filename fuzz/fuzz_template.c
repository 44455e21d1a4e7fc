/* Fuzz target: a template file (SPEC §4), parsed from memory as if it sat
 * in the current folder, so `extends:` may name built-in templates or
 * other files. */
#include "style.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag *d = diag_new();
    struct style *st = style_parse_text((const char *)data, size, "fuzz.yaml", d);
    if (st) {
        style_type_width(st);
        style_pitch(st);
    }
    style_free(st);
    diag_free(d);
    return 0;
}
