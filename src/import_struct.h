/* Recognising a report's parts in imported paragraphs (title block,
 * numbered headings, notes, attachments, web-page noise) and writing them
 * as annotated Markdown, one paragraph a line. */
#ifndef BRIEFING_IMPORT_STRUCT_H
#define BRIEFING_IMPORT_STRUCT_H
#include "buf.h"
#include "diag.h"
#include "import_para.h"
#include "manifest.h"
#include <stdbool.h>

struct import_opts {
    const char *file;                /* the input, for diagnostics and the comment */
    const char *encoding;            /* set by import_document; the CLI names it */
    bool indicators;                 /* annotate figures as kpi: links */
    const struct manifest *manifest; /* department tags from its keywords; may be NULL */
};

/* Writes the Markdown to out. Each dropped line is a note in d (with its
 * line); guesses worth a look are warnings. */
void import_markdown(const struct ipara_list *l, const struct import_opts *o, struct buf *out,
                     struct diag *d);

#endif
