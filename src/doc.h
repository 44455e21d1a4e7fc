/* The document model: the cmark-gfm tree of the report plus its front
 * matter. Only this module knows the surface syntax of annotations
 * (page breaks, department tags); the rest asks it. */
#ifndef BRIEFING_DOC_H
#define BRIEFING_DOC_H
#include "diag.h"
#include "frontmatter.h"
#include "chart.h"
#include "indicator.h"
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
};

enum doc_html_kind { DOC_HTML_OTHER, DOC_HTML_PAGEBREAK, DOC_HTML_DEPT, DOC_HTML_SIGNATURE };

/* Parses a report. Returns NULL (with errors in d) when the input cannot be
 * used: invalid UTF-8, NUL bytes, malformed front matter. Errors in
 * annotations (indicators, charts) are added to d but the document is
 * returned, so lint can report everything at once. */
struct doc *doc_parse(const char *file, const char *data, size_t len, struct diag *d);
/* Reads path ("-" for stdin) and parses it. */
struct doc *doc_load(const char *path, struct diag *d);
void doc_free(struct doc *doc);

/* The chart a ```chart code block carries, or NULL. */
const struct chart *doc_chart(cmark_node *code_block);
/* Is this code block a chart block (even one that failed to parse)? */
bool doc_is_chart_block(cmark_node *code_block);

/* What an HTML block or inline node means to us. */
enum doc_html_kind doc_html_kind(cmark_node *node);
/* The department names of a dept tag, comma separated (a fresh string), or NULL. */
char *doc_dept_names(cmark_node *node);

/* Does a table cell hold a number (digits with + - . , % and spaces,
 * perhaps followed by a unit)? Numeric columns are right-aligned. */
bool doc_text_is_numeric(const char *text);

/* Reads a whole file ("-" for stdin) into a NUL-terminated buffer. */
char *doc_read_file(const char *path, size_t *len, struct diag *d);

#endif
