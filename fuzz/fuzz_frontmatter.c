/* Fuzz target: the front matter block (SPEC §3.1): finding the --- fences,
 * the YAML inside, and the date formats. */
#include "diag.h"
#include "frontmatter.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t ystart, ylen;
    bool bad;
    size_t span = frontmatter_span(text, size, &ystart, &ylen, &bad);
    struct diag *d = diag_new();
    struct meta m = {.duplex = -1};
    if (span && !bad)
        frontmatter_parse(&m, text + ystart, ylen, "fuzz.md", d);
    else
        frontmatter_parse(&m, text, size, "fuzz.md", d);
    char date[32];
    date_format_cn(&m.date, date, sizeof date);
    meta_free(&m);
    diag_free(d);
    char *s = xstrndup(text, size);
    struct date dt;
    if (date_parse(s, &dt))
        date_format_cn(&dt, date, sizeof date);
    free(s);
    return 0;
}
