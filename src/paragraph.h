/* Paragraphs: styled text built from cmark inline nodes (text plus a
 * PangoAttrList, with byte offsets kept for links and diagnostics), laid
 * out by Pango with the Chinese rules Pango lacks: CLREQ strict 禁则,
 * adjacent and line-end punctuation compression (OpenType halt), 2-em
 * dashes (fwid), grid tracking, and no lone character on the last line. */
#ifndef BRIEFING_PARAGRAPH_H
#define BRIEFING_PARAGRAPH_H
#include "buf.h"
#include "diag.h"
#include "fonts.h"
#include "style.h"
#include <cmark-gfm.h>
#include <pango/pango.h>

struct span {
    int start, end;       /* byte range in the paragraph text */
    char *data;           /* link: the URL (owned); NULL for emphasis dots */
    void *ref;            /* indicator: the struct indicator (borrowed) */
};

struct para {
    PangoLayout *layout;  /* owned */
    double size;          /* base font size, pt */
    struct span *links;   /* external or internal link ranges */
    int nlinks;
    struct span *dots;    /* ranges that get 着重号 under each Han character */
    int ndots;
    struct span *kpis;    /* indicator values; data is the struct indicator */
    int nkpis;
    PangoLayoutLine **lines; /* borrowed from layout, in order */
    double *line_x;       /* left of each line's logical box (indent, alignment) */
    double *line_w;       /* width of each line's logical box */
    int nlines;
    int id;               /* its place in the layout's list of paragraphs */
};

struct rich;

/* Starts styled text for element el. line is the source line of its start. */
struct rich *rich_new(struct fonts *fonts, const struct style *st, enum element el,
                      const char *file, int line);
void rich_free(struct rich *r);
/* The fonts the text is laid out with (another thread's). */
void rich_set_fonts(struct rich *r, struct fonts *fonts);
/* Appends the inline content of a block node (paragraph, heading, cell…). */
void rich_add_inlines(struct rich *r, cmark_node *block);
/* Sets the whole text at another size than the element's (a masthead
 * shrunk to fit the measure). */
void rich_set_size(struct rich *r, double size);
/* Appends plain text in the current style. */
void rich_add_text(struct rich *r, const char *text);
/* Appends text in another font role (e.g. a list marker). */
void rich_add_role_text(struct rich *r, const char *text, enum font_role role);
const char *rich_text(const struct rich *r);
/* The text as a reader copies it: without the joiners and break hints
 * the line breaking adds (for outlines, headers, contents). */
char *rich_label(const struct rich *r);
/* How footnote references are numbered (by the layout, in reading order). */
void rich_set_footnotes(struct rich *r, int (*number)(void *ctx, cmark_node *ref), void *ctx);
/* Appends a footnote mark for the given number. */
void rich_add_footnote_mark(struct rich *r, int number);

/* Lays the text out in the given width (pt). Consumes r. Missing glyphs
 * are errors in d, at the source line. */
struct para *para_layout(struct rich *r, double width, double indent, enum align align,
                         struct diag *d);
/* A link over bytes [start, end) of the text: a URL, "#name" for a
 * destination in the document, or "=name" to make the range that
 * destination. */
void para_add_link(struct para *p, int start, int end, const char *url);
void para_free(struct para *p);
int para_line_count(const struct para *p);

#endif
