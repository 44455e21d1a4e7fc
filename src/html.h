/* The HTML preview (SPEC §5): one self-contained HTML5 file with CSS from
 * the same template as the PDF, a table of contents, and the document's
 * content with every text escaped and raw HTML dropped. */
#ifndef BRIEFING_HTML_H
#define BRIEFING_HTML_H
#include "buf.h"
#include "diag.h"
#include "doc.h"
#include "style.h"
#include <stdbool.h>

/* Appends the whole HTML document to out. False (with errors in d) on failure. */
bool html_render(const struct doc *doc, const struct style *st, struct buf *out, struct diag *d);

#endif
