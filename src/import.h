/* `briefing import`: the text an office has (plain text in UTF-8 or
 * GB18030, or a Word .docx) as annotated Markdown. */
#ifndef BRIEFING_IMPORT_H
#define BRIEFING_IMPORT_H
#include "buf.h"
#include "diag.h"
#include "import_struct.h"
#include <stdbool.h>
#include <stddef.h>

/* Reads bytes (a .docx when they are a zip archive, else text), fills
 * o->encoding and writes the Markdown to out. False, with errors in d and
 * nothing in out, when the input cannot be read. */
bool import_document(const char *bytes, size_t len, struct import_opts *o, struct buf *out,
                     struct diag *d);

#endif
