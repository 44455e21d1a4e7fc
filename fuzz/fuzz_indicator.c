/* Fuzz target: indicator values as written in a kpi: link's text
 * (SPEC §3.3), e.g. "约5.5亿元以上". */
#include "indicator.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size);
    struct ivalue v;
    const char *why;
    if (ivalue_parse(text, &v, &why)) {
        free(ivalue_unit_label(&v));
        ivalue_free(&v);
    }
    indicator_is_link(text);
    free(text);
    return 0;
}
