/* Writing a recognised report as annotated Markdown: the front matter,
 * a comment saying what was guessed, text with Markdown's own characters
 * escaped, kpi: links and department tags. */
#ifndef BRIEFING_IMPORT_WRITE_H
#define BRIEFING_IMPORT_WRITE_H
#include "buf.h"
#include "import_para.h"
#include "import_struct.h"
#include <stdbool.h>
#include <stddef.h>

enum role {
    R_NOISE, R_TITLE, R_SUBTITLE, R_SPEAKER, R_SALUTATION, R_HEADING, R_PARA,
    R_NOTES_HEAD, R_NOTE, R_ATTACH, R_VERBATIM
};

struct block {
    enum role role;
    int level;        /* headings: 1..5 (the Markdown level) */
    char *text;       /* owned */
    int line;
    size_t bold_len;  /* leading bold run */
    char *period;     /* ## headings: the period of the section's figures, or NULL */
};

/* What recognition found, in reading order, and what it guessed. */
struct import_doc {
    struct block *items;
    int n, cap;
    char *date_iso, *issuer;
    int guessed_headings, guessed_noise;
    bool subtitle_dash_added, speaker_joined;
};

/* Writes doc (and the Word footnotes in l) to out. */
void import_write(const struct import_doc *doc, const struct ipara_list *l,
                  const struct import_opts *o, struct buf *out);
void import_doc_free(struct import_doc *doc);

#endif
