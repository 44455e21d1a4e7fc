#include "import_docx.h"
bool import_docx_read(const char *bytes, size_t len, const char *file, struct ipara_list *l,
                      struct diag *d)
{
    (void)bytes; (void)len; (void)l;
    diag_add(d, DIAG_ERROR, file, 0, 0, "docx not yet");
    return false;
}
