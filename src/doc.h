/* The document: the cmark-gfm tree of the report plus its front matter,
 * indicators and charts, with the resolved model (model.h) on every node.
 * Only the document modules (doc.c, resolve.c) know the surface syntax of
 * annotations; the rest reads model_info(node). */
#ifndef BRIEFING_DOC_H
#define BRIEFING_DOC_H
#include "diag.h"
#include "frontmatter.h"
#include "chart.h"
#include "indicator.h"
#include "model.h"
#include <cmark-gfm.h>
#include <stdbool.h>

struct doc {
    char *file;        /* name used in diagnostics ("<stdin>" for -) */
    char *src;         /* the original bytes, NUL-terminated */
    size_t len;
    struct meta meta;
    cmark_node *root;  /* owned */
    struct indicators *indicators; /* every kpi: annotation, owned */
    struct chart **charts;         /* every ```chart block, owned, in order */
    int ncharts;
    struct model *model;           /* the node_info records, owned */
};

/* Parses a report. Returns NULL (with errors in d) when the input cannot be
 * used: invalid UTF-8, NUL bytes, malformed front matter. Errors in
 * annotations (indicators, charts) are added to d but the document is
 * returned, so lint can report everything at once. */
struct doc *doc_parse(const char *file, const char *data, size_t len, struct diag *d);
/* Reads path ("-" for stdin) and parses it. */
struct doc *doc_load(const char *path, struct diag *d);
void doc_free(struct doc *doc);

/* Reads a whole file ("-" for stdin) into a NUL-terminated buffer. */
char *doc_read_file(const char *path, size_t *len, struct diag *d);

#endif
