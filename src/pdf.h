/* Drawing a layout into a PDF, in memory, written by hand (pdfw.h): the
 * fonts cut down to the glyphs drawn and embedded once a face (pdftext.h),
 * an outline entry and destination per heading, a named destination per
 * page ("p-N"), link annotations per line, ActualText for the spread-out
 * 发文机关标志, the document information, and PDF/A-2b when the template
 * (style.h pdf_standard) asks (pdfinfo.h). */
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
