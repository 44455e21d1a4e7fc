/* A department's summary (SPEC §3.5–3.6): the blocks of the report that
 * its tags or keywords select, under their original headings, each with a
 * reference to its page in the full report, written as a new report. */
#ifndef BRIEFING_SUMMARY_H
#define BRIEFING_SUMMARY_H
#include "doc.h"
#include "manifest.h"
#include "style.h"

/* Report blocks (top-level cmark nodes) selected for dep, in order; *n
 * gets their count. The caller frees the array (not the nodes). */
cmark_node **summary_select(const struct doc *doc, const struct department *dep, int *n);

/* The summary as Markdown with front matter. page_of_line gives the page in
 * the full report of the block starting at a line; full_pdf names that
 * PDF for the links; template_name (or NULL) goes into the front matter,
 * so the Markdown renders alone as it does in the batch; st (or NULL for
 * the defaults) gives the labels. Caller frees. */
char *summary_markdown(const struct doc *doc, const struct department *dep, cmark_node **blocks,
                       int n, int (*page_of_line)(void *ctx, int line), void *ctx,
                       const char *full_pdf, const char *template_name, const struct style *st);

#endif
