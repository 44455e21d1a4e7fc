/* A small drawing interface shared by the chart backends: PDF
 * (canvas_pdf.h), HTML (SVG), page images (cairo), a tape that plays a
 * drawing again, and a recording one for tests. Coordinates are pt,
 * origin at the top left of the chart; text y is the baseline. */
#ifndef BRIEFING_CANVAS_H
#define BRIEFING_CANVAS_H
#include "buf.h"
#include "style.h"
#include <stdbool.h>

enum anchor { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END };

struct canvas_ops {
    void (*rect)(void *ctx, double x, double y, double w, double h, struct rgb fill);
    void (*line)(void *ctx, double x1, double y1, double x2, double y2, double width,
                 struct rgb color);
    /* n points (x, y pairs) joined by straight segments */
    void (*polyline)(void *ctx, const double *xy, int n, double width, struct rgb color);
    /* a ring sector from angle a0 to a1 (radians, clockwise from 12 o'clock);
     * r_inner 0 gives a pie slice */
    void (*sector)(void *ctx, double cx, double cy, double r_outer, double r_inner, double a0,
                   double a1, struct rgb fill);
    void (*circle)(void *ctx, double cx, double cy, double r, struct rgb fill);
    void (*text)(void *ctx, double x, double y, const char *text, double size, bool bold,
                 enum anchor anchor, struct rgb color);
};

/* How far left of x a text of this width starts, for its anchor. */
static inline double canvas_anchor_shift(enum anchor a, double width)
{
    return a == ANCHOR_MIDDLE ? width / 2 : a == ANCHOR_END ? width : 0;
}

struct canvas {
    const struct canvas_ops *ops;
    void *ctx;
};

/* SVG: appends <rect>, <path>, <text> … elements to out (no <svg> wrapper). */
struct canvas_svg;
struct canvas_svg *canvas_svg_new(struct buf *out, const char *font_family);
void canvas_svg_free(struct canvas_svg *c);
struct canvas canvas_svg(struct canvas_svg *c);
/* The font-family list, escaped for an attribute. */
const char *canvas_svg_font(const struct canvas_svg *c);
/* Appends s with & < > " ' escaped. */
void canvas_svg_escape(struct buf *out, const char *s);

/* Recording: one text line per operation, for tests. */
struct canvas_record;
struct canvas_record *canvas_record_new(struct buf *out);
void canvas_record_free(struct canvas_record *c);
struct canvas canvas_record(struct canvas_record *c);

/* A tape: keeps every operation (passing it on to inner too, unless
 * inner.ops is NULL) to play them again, in order, on another canvas. */
struct canvas_tape;
struct canvas_tape *canvas_tape_new(struct canvas inner);
void canvas_tape_free(struct canvas_tape *t);
struct canvas canvas_tape(struct canvas_tape *t);
void canvas_tape_play(const struct canvas_tape *t, struct canvas to);

#endif
