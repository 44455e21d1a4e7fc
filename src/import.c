#include "import.h"
#include "import_docx.h"
#include "import_html.h"
#include "import_text.h"
#include <stdlib.h>
#include <string.h>

static bool is_zip(const char *bytes, size_t len)
{
    return len >= 4 && !memcmp(bytes, "PK\x03\x04", 4);
}

bool import_document(const char *bytes, size_t len, struct import_opts *o, struct buf *out,
                     struct diag *d)
{
    struct ipara_list l = {0};
    if (is_zip(bytes, len)) {
        if (!import_docx_read(bytes, len, o->file, &l, d)) {
            ipara_list_free(&l);
            return false;
        }
        o->encoding = "Word .docx";
    } else {
        char *text;
        if (!import_decode(bytes, len, o->file, &text, &o->encoding, d))
            return false;
        if (import_html_detect(text)) {
            bool ok = import_html_read(text, o->file, &l, d);
            free(text);
            if (!ok) {
                ipara_list_free(&l);
                return false;
            }
            o->encoding = strcmp(o->encoding, "UTF-8") ? "an HTML page in GB18030" : "an HTML page in UTF-8";
        } else {
            ipara_from_text(&l, text);
            free(text);
        }
    }
    if (l.n == 0) {
        diag_add(d, DIAG_ERROR, o->file, 0, 0, "no text to import (the file is empty)");
        ipara_list_free(&l);
        return false;
    }
    import_markdown(&l, o, out, d);
    ipara_list_free(&l);
    return true;
}
