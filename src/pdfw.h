/* Writing a PDF file: numbered objects, the streams deflated, the other
 * objects packed into compressed object streams, and a cross-reference
 * stream whose /ID is the file's own MD5 (the same input, the same bytes);
 * and a page's content stream, its operators written with the page's
 * top-left corner as origin (y down), as the layout measures. */
#ifndef BRIEFING_PDFW_H
#define BRIEFING_PDFW_H
#include "buf.h"
#include "style.h"
#include <stdbool.h>
#include <stddef.h>

struct pdfw;

struct pdfw *pdfw_new(void);
void pdfw_free(struct pdfw *w);
/* A new object number, to refer to before the object is written. */
int pdfw_reserve(struct pdfw *w);
/* Starts object id (not a stream): its text is appended to the returned
 * buffer until pdfw_end. */
struct buf *pdfw_begin(struct pdfw *w, int id);
void pdfw_end(struct pdfw *w);
/* Object id as a stream: the dictionary's entries (without << >>,
 * /Length and /Filter; may be "") and its data, which is deflated. */
void pdfw_stream(struct pdfw *w, int id, const char *entries, const void *data, size_t len);
/* The same, deflated in a thread of the writer's while the caller goes on
 * (a page's contents while the next page is drawn). */
void pdfw_stream_later(struct pdfw *w, int id, const char *entries, const void *data, size_t len);
/* The same with the data as given (entries name its /Filter, if any). */
void pdfw_stream_as_is(struct pdfw *w, int id, const char *entries, const void *data, size_t len);
/* Pages and the rest at libdeflate's default; font programs at its
 * fastest: CFF charstrings hardly compress further (under 0.1 % for the
 * example at level 6, for 28 M more instructions). */
enum { PDFW_LEVEL_CONTENT = 6, PDFW_LEVEL_FONT = 1 };
/* Appends the whole file to out, with /Root root and /Info info (when
 * > 0). False when an object reserved was never written. */
bool pdfw_finish(struct pdfw *w, int root, int info, struct buf *out);

/* ---- values ----------------------------------------------------------- */

/* A number as PDF writes it: at most 3 decimals, no trailing zeros. */
void pdfw_num(struct buf *b, double v);
/* An integer; 4 upper-case hex digits of v (a glyph code). */
void pdfw_int(struct buf *b, long v);
void pdfw_hex4(struct buf *b, unsigned v);
/* A UTF-8 string's UTF-16BE code units in hex, without brackets. */
void pdfw_utf16(struct buf *b, const char *utf8);
/* A UTF-8 string as a PDF text string: <FEFF...> in UTF-16BE. */
void pdfw_text(struct buf *b, const char *utf8);
/* Starts a marked-content sequence that copies as utf8 whatever glyphs
 * it draws ("/Span <</ActualText …>> BDC"); "EMC" ends it. */
void pdfw_actual_text(struct buf *b, const char *utf8);
/* A byte string as a literal string: ( ) \ escaped. */
void pdfw_bytes(struct buf *b, const char *s, size_t len);
/* A name: "/" and the bytes, those not regular escaped as #xx. */
void pdfw_name(struct buf *b, const char *s);

/* ---- page content ----------------------------------------------------- */

/* A content stream (ops: its bytes, from "1 0 0 -1 0 H cm" that makes
 * y run down) with the graphics state it has set, so colours and line
 * styles are written only when they change. */
struct pdf_content {
    struct buf ops;
    double page_h;
    struct rgb fill, stroke;
    bool fill_set, stroke_set;
    double line_w;
    int cap, join;   /* PDF's codes; -1: not set */
    bool dashed;
};

void pdf_content_init(struct pdf_content *c, double page_h);
void pdf_content_free(struct pdf_content *c);
void pdf_fill_color(struct pdf_content *c, struct rgb rgb);
void pdf_stroke_color(struct pdf_content *c, struct rgb rgb);
/* Line width, cap (0 butt, 1 round), join (0 miter, 1 round), and a dash
 * of gaps (on 0, off gap: round dots when cap is round) or none (gap 0). */
void pdf_line_style(struct pdf_content *c, double width, int cap, int join, double gap);
void pdf_move(struct pdf_content *c, double x, double y);
void pdf_line(struct pdf_content *c, double x, double y);
/* A circular arc from angle a0 to a1 (radians, y down: clockwise when
 * a1 > a0, as cairo_arc), joined to the current point if there is a path. */
void pdf_arc(struct pdf_content *c, double cx, double cy, double r, double a0, double a1, bool join);
void pdf_rect(struct pdf_content *c, double x, double y, double w, double h);
void pdf_close(struct pdf_content *c);
void pdf_fill(struct pdf_content *c);
void pdf_stroke(struct pdf_content *c);

#endif
