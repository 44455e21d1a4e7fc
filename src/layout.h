/* Paged layout: the document and a style become pages of positioned boxes
 * (text lines, rules). Baselines sit on the template's fixed line grid,
 * placed by us, not by Pango. Pagination keeps headings with what follows,
 * avoids single-line widows and orphans, and repeats table header rows.
 * No cairo here: pdf.c draws the boxes, layout_dump.c prints them. */
#ifndef BRIEFING_LAYOUT_H
#define BRIEFING_LAYOUT_H
#include "diag.h"
#include "doc.h"
#include "fonts.h"
#include "paragraph.h"
#include "style.h"

enum box_kind { BOX_LINE, BOX_RULE, BOX_CHART, BOX_RECT };

struct box {
    enum box_kind kind;
    double x, y;          /* LINE: origin of the line, y = baseline; RULE: start */
    double x2, y2, width; /* RULE: end and stroke width */
    struct rgb color;     /* RULE colour */
    struct para *para;    /* LINE: borrowed from the layout */
    int line;             /* LINE: index in para */
    enum element el;
    int heading;          /* LINE: outline level 1..6 of a heading's first line, else 0 */
    int dest;             /* LINE: heading number for links and outline, else -1 */
    char *label;          /* LINE: heading text for the outline (first line only) */
    const struct chart *chart; /* CHART: drawn in (x, y, x2 - x, y2 - y); RECT: filled */
    int link_dest;        /* LINE: links to heading n (table of contents), else -1 */
    int src_line;         /* the report line of the block it shows, 0 for none */
    bool dotted;          /* RULE: a dot leader */
};

struct page {
    struct box *boxes;
    int n, cap;
    int number;           /* printed page number, 0 for none */
    bool plain;           /* no page number and no running header (cover, blank page) */
    bool fitted;          /* lines set closer to take a page's tail (GB/T 9704 7.3.5) */
};

struct prelayout;

struct layout {
    const struct style *st;
    struct page *pages;
    int npages;
    struct para **paras;  /* owned */
    int nparas, cap;
    struct chart *overview[2]; /* the key-indicator overview charts, owned */
    int *line_page;       /* pairs (source line, page) in reading order */
    int nline_page;
    int *indicator_page;  /* page of each of the document's indicators (by index), 0: none */
    int nindicator_page;
    int *para_last_page;  /* page of each paragraph's last line (layout_release_page) */
    struct prelayout *pre; /* the fonts of paragraphs laid out ahead, or NULL */
};

/* Lays out doc with style st; fonts must come from the same style. NULL
 * when nothing could be laid out; typesetting errors (missing glyphs) are
 * added to d and the caller decides. */
struct layout *layout_new(const struct doc *doc, const struct style *st, struct fonts *fonts,
                          struct diag *d);
/* The same, its plain paragraphs laid out ahead in a second thread or
 * not (layout_new does for long documents); the layout is the same. */
struct layout *layout_new_ahead(const struct doc *doc, const struct style *st, struct fonts *fonts,
                                bool ahead, struct diag *d);
void layout_free(struct layout *l);
/* A text dump of every box, for tests: one line per box. Caller frees. */
char *layout_dump(const struct layout *l);
/* The page (1-based) on which the block starting at a source line begins;
 * 0 when nothing from that line was laid out. */
int layout_page_of_line(const struct layout *l, int line);
/* Frees the paragraphs no page after page i (0-based) shows, for a
 * renderer that draws the pages in order: a long report's laid-out text
 * does not stay in memory to the end. The text lines of pages up to i are
 * not to be read again. */
void layout_release_page(struct layout *l, int i);
/* Plain text of a line box. Caller frees. */
char *layout_line_text(const struct box *b);
/* The 着重号 of a line box: a dot under each emphasised Han character,
 * centred on it, at (x[i], y) with radius r. Caller frees x. */
struct line_dots {
    double *x;
    int n;
    double y, r;
};
struct line_dots layout_line_dots(const struct box *b);

#endif
