/* Fuzz target: the pass over the written PDF (pdfpost.c, through libqpdf)
 * and the CFF charset reader the writer uses (cff.c), on arbitrary bytes:
 * the input is tried as a whole PDF, plain and PDF/A-2b, and as a bare
 * CFF font program. */
#include "cff.h"
#include "pdfpost.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char icc[128] = {0};
    const struct pdf_info info = {.title = "标题 & <x>", .author = "机关", .date = "2025-01-13T00:00:00+08:00"};
    const struct pdfa pdfa = {icc, sizeof icc, "sRGB IEC61966-2.1"};
    for (int pass = 0; pass < 2; pass++) {
        struct buf pdf = {0};
        struct diag *d = diag_new();
        buf_put(&pdf, data, size);
        pdfpost_finish(&pdf, 0, &info, pass ? &pdfa : NULL, d);
        diag_free(d);
        buf_free(&pdf);
    }
    uint16_t cid[300];
    bool keyed;
    cff_glyph_cids(data, size, 300, cid, &keyed);
    return 0;
}
