/* Fuzz target: the CFF charset reader the PDF writer uses on the fonts it
 * embeds (cff.c), on arbitrary bytes. */
#include "cff.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { GLYPHS = 70000 }; /* more than a CFF can hold */
    uint16_t *cid = malloc(GLYPHS * sizeof *cid);
    bool keyed;
    if (cid)
        cff_glyph_cids(data, size, size < GLYPHS ? (unsigned)size : GLYPHS, cid, &keyed);
    cff_name_keyed(data, size);
    free(cid);
    return 0;
}
