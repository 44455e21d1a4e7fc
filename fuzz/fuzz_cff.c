/* Fuzz target: the CFF charset reader the PDF writer uses on the fonts it
 * embeds and the cut to the glyphs drawn (cff.c), on arbitrary bytes. */
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
    cff_flat(data, size);
    free(cid);
    /* every other glyph kept, from a pattern the input's own bytes set */
    bool keep[512];
    for (size_t i = 0; i < sizeof keep; i++)
        keep[i] = size ? (data[i % size] >> (i % 8)) & 1 : i % 2;
    unsigned char *out;
    size_t out_len;
    if (cff_keep_glyphs(data, size, keep, sizeof keep, &out, &out_len)) {
        bool again = cff_glyph_cids(out, out_len, 0, NULL, &keyed);
        (void)again;
        free(out);
    }
    return 0;
}
