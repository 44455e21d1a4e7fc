/* Fuzz target: the font pass over cairo's PDF (pdfshrink.c) and the CFF
 * desubroutinizer under it (cff.c), on arbitrary bytes: the input is tried
 * both as a whole PDF and as a bare CFF font program. */
#include "cff.h"
#include "pdfshrink.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf pdf = {0}, cff = {0};
    buf_put(&pdf, data, size);
    pdfshrink_fonts(&pdf, 0);
    cff_desubroutinize(data, size, &cff);
    buf_free(&pdf);
    buf_free(&cff);
    return 0;
}
