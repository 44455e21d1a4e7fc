/* Private to the layout modules: the item list the block walk (layout.c)
 * and the frame (matter.c) produce and pagination consumes, and the item
 * builder both use (build.c). layout.c calls matter.c; neither is called
 * back. */
#ifndef BRIEFING_LAYOUT_INT_H
#define BRIEFING_LAYOUT_INT_H
#include "frame.h"
#include "layout.h"
#include "prelayout.h"

#define EM_CENTER 0.38 /* CJK em box: baseline - 0.88 em .. + 0.12 em, centre 0.38 em up */
#define EPS 0.01
#define LIST_LEVELS 64

enum item_kind { IT_LINE, IT_SPACE, IT_BREAK, IT_RULE, IT_ROW, IT_CHART, IT_BLOCK };

struct table {
    int ncols, nrows;
    bool header;         /* row 0 is a header row, repeated on each page */
    int header_item;     /* the item of row 0 */
    double *colx;        /* left edge of each column, relative to the type area */
    double width;
    struct para **cells; /* nrows * ncols, borrowed from the layout */
    double *row_h;
    double line_h;       /* pitch of text lines inside a cell */
};

struct item {
    enum item_kind kind;
    double h;            /* height, pt */
    bool keep;           /* must stay on the page of the next item */
    bool grid;           /* a body-grid line: snapped to the line grid */
    struct para *para;
    int line;
    double x;            /* left of the block, relative to the type area */
    enum element el;
    int heading, dest;
    char *label;
    struct table *table;
    int row;
    const struct chart *chart;
    struct page *block;  /* BLOCK: boxes with y relative to the item's top, owned */
    bool plain;          /* the page this item lands on gets no number or header */
    int toc_dest;        /* a table-of-contents entry for heading n, else -1 */
    int src_line;        /* line of the block it comes from in the report, 0 for none */
};

struct builder {
    const struct doc *doc;
    const struct style *st;
    struct fonts *fonts;
    struct diag *d;
    struct layout *l;
    struct item *items;
    int n, cap;
    struct table **tables;
    int ntables;
    double pitch, width;
    int quote_depth, list_depth;
    int list_counter[LIST_LEVELS];
    bool list_ordered[LIST_LEVELS]; /* deeper lists number like the deepest of these */
    bool item_first_para;  /* the next paragraph starts a list item */
    int dest;               /* destination of the heading being laid out */
    cmark_node **footnotes; /* definitions in reference order */
    int nfootnotes;
    const struct frame *frame; /* the fixed parts around the text */
    bool body_closed;       /* 附件说明 and signature are placed */
    int cur_line;           /* source line of the block being laid out */
    struct prelayout *pre;  /* paragraphs laid out ahead, or NULL */
};


struct item *build_item(struct builder *b, enum item_kind kind, double h);
void build_space(struct builder *b, double lines, bool keep);
/* Sets a page's lines closer so that its last baseline moves up by `by`
 * pt, its first text line staying (GB/T 9704 7.3.5); false, and nothing
 * changed, when that would close them up too far or the page has charts. */
bool layout_fit_page(struct page *pg, double by);
#define FIT_MIN_SCALE 0.86 /* the closest a fitted page sets its lines */
double layout_last_baseline(const struct page *pg);
/* Where a page's text starts: its first line, or below a rule above it. */
double layout_text_top(const struct page *pg);
bool layout_has_charts(const struct page *pg);
/* Hands a paragraph to the layout, which frees it. */
struct para *build_para(struct builder *b, struct para *p);
/* The lines of p as items at x (relative to the type area), with widow and
 * orphan control; keep_all keeps every line with the next item. */
void build_lines(struct builder *b, struct para *p, enum element el, double x, bool keep_all,
                 int heading, const char *label);
struct rich *build_rich(struct builder *b, enum element el, cmark_node *n);
/* Plain text laid out in an element's style at the given width. */
struct para *build_text(struct builder *b, enum element el, const char *text, double width,
                        enum align align);
double build_natural_width(struct builder *b, const char *text, enum element el);
/* A chart as one unsplittable item on whole grid lines. */
void build_chart(struct builder *b, const struct chart *c);

struct box *layout_new_box(struct page *pg);
void layout_rule_box(struct page *pg, double x1, double y1, double x2, double y2, double w,
                     struct rgb color);
void layout_line_box(struct page *pg, struct para *p, int line, double x, double baseline,
                     enum element el);

/* matter.c: what frames the body. */
void matter_front(struct builder *b);
/* The key-indicator overview: after the masthead's title block or, when the
 * report has its own, after that one (frame->overview_after). */
void matter_overview(struct builder *b);
/* After the body (at <!-- signature -->, before the first attachment or at
 * the end), once: the 附件说明 and, when the template signs, 署名 and date. */
void matter_close_body(struct builder *b);
void matter_back(struct builder *b);
void matter_pages(struct builder *b);

#endif
