/* Drawing a layout into a PDF (cairo), in memory: embedded subset fonts,
 * an outline entry and destination per heading, link annotations per line,
 * and a Document structure tag around everything (cairo 1.16 writes a
 * damaged file for links without one); then the pass after cairo
 * (pdfpost.h): metadata, smaller fonts and cross-reference data, and
 * PDF/A-2b when the template (style.h pdf_standard) asks. */
#ifndef BRIEFING_PDF_H
#define BRIEFING_PDF_H
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "fonts.h"
#include "layout.h"
#include <stdbool.h>

/* Renders l into out. The creation date is SOURCE_DATE_EPOCH when set,
 * else the document's date, else none, so output is reproducible. PDF/A
 * reads its ICC profile from the data folder (templates/icc/sRGB.icc). */
bool pdf_render(const struct layout *l, struct fonts *fonts, const struct meta *m, struct buf *out,
                struct diag *d);
/* The same, freeing each page's text once it is drawn (layout_release_page):
 * afterwards l is good only for layout_free. */
bool pdf_render_releasing(struct layout *l, struct fonts *fonts, const struct meta *m,
                          struct buf *out, struct diag *d);

#endif
