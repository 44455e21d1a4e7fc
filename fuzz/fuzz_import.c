/* Fuzz target: briefing import (text in any encoding, or a .docx). */
#include "import.h"
#include "manifest.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char yaml[] = "report: r.md\ndepartments:\n  - id: science\n    name: 科技局\n"
                               "    keywords: [科技, 创新]\n";
    struct diag *d = diag_new();
    struct manifest *m = manifest_parse(yaml, sizeof yaml - 1, "m.yaml", d);
    struct import_opts o = {.file = "fuzz.txt", .indicators = true, .manifest = m};
    struct buf out = {0};
    import_document((const char *)data, size, &o, &out, d);
    buf_free(&out);
    manifest_free(m);
    diag_free(d);
    return 0;
}
