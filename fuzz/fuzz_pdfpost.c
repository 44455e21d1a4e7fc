/* Fuzz target: the pass over cairo's PDF (pdfpost.c, through libqpdf) and
 * the CFF desubroutinizer under it (cff.c), on arbitrary bytes: the input
 * is tried as a whole PDF, plain and PDF/A-2b, and as a bare CFF font
 * program. */
#include "cff.h"
#include "pdfpost.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char icc[128] = {0};
    const struct pdf_info info = {.title = "标题 & <x>", .author = "机关", .date = "2025-01-13T00:00:00+08:00"};
    const struct pdfa pdfa = {icc, sizeof icc, "sRGB IEC61966-2.1"};
    const char *const texts[] = {"西青区人民政府文件", "\xF0\x9F\x98\x80\xFF"};
    const struct pdf_spans spans = {texts, 2};
    for (int pass = 0; pass < 2; pass++) {
        struct buf pdf = {0};
        struct diag *d = diag_new();
        buf_put(&pdf, data, size);
        pdfpost_finish(&pdf, 0, &info, pass ? &spans : NULL, pass ? &pdfa : NULL, d);
        diag_free(d);
        buf_free(&pdf);
    }
    struct buf cff = {0};
    cff_desubroutinize(data, size, &cff);
    buf_free(&cff);
    return 0;
}
