/* A canvas that keeps each operation to play it again on another: a
 * chart's PDF is drawn twice (its labels' glyphs noted for the font cut,
 * then drawn), and working out its geometry twice was half of its cost. */
#include "canvas.h"
#include "xalloc.h"
#include <stdlib.h>
#include <string.h>

enum op_kind { OP_RECT, OP_LINE, OP_POLYLINE, OP_SECTOR, OP_CIRCLE, OP_TEXT };

struct op {
    enum op_kind kind;
    double v[6];       /* the operation's numbers, in its arguments' order */
    double *xy;        /* a polyline's points */
    int n;
    char *text;
    bool bold;
    enum anchor anchor;
    struct rgb color;
};

struct canvas_tape {
    struct canvas inner;   /* each operation also goes here; ops NULL: none */
    struct op *ops;
    int n;
};

static struct op *push(struct canvas_tape *t, enum op_kind kind, struct rgb color)
{
    t->ops = xreallocarray(t->ops, (size_t)t->n + 1, sizeof *t->ops);
    struct op *o = &t->ops[t->n++];
    *o = (struct op){.kind = kind, .color = color};
    return o;
}

static void tape_rect(void *ctx, double x, double y, double w, double h, struct rgb fill)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_RECT, fill);
    o->v[0] = x, o->v[1] = y, o->v[2] = w, o->v[3] = h;
    if (t->inner.ops)
        t->inner.ops->rect(t->inner.ctx, x, y, w, h, fill);
}

static void tape_line(void *ctx, double x1, double y1, double x2, double y2, double width,
                      struct rgb color)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_LINE, color);
    o->v[0] = x1, o->v[1] = y1, o->v[2] = x2, o->v[3] = y2, o->v[4] = width;
    if (t->inner.ops)
        t->inner.ops->line(t->inner.ctx, x1, y1, x2, y2, width, color);
}

static void tape_polyline(void *ctx, const double *xy, int n, double width, struct rgb color)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_POLYLINE, color);
    o->n = n > 0 ? n : 0;
    o->xy = xmalloc(((size_t)o->n * 2 + 1) * sizeof *o->xy);
    if (o->n)
        memcpy(o->xy, xy, (size_t)o->n * 2 * sizeof *xy);
    o->v[0] = width;
    if (t->inner.ops)
        t->inner.ops->polyline(t->inner.ctx, xy, n, width, color);
}

static void tape_sector(void *ctx, double cx, double cy, double r_outer, double r_inner, double a0,
                        double a1, struct rgb fill)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_SECTOR, fill);
    o->v[0] = cx, o->v[1] = cy, o->v[2] = r_outer, o->v[3] = r_inner, o->v[4] = a0, o->v[5] = a1;
    if (t->inner.ops)
        t->inner.ops->sector(t->inner.ctx, cx, cy, r_outer, r_inner, a0, a1, fill);
}

static void tape_circle(void *ctx, double cx, double cy, double r, struct rgb fill)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_CIRCLE, fill);
    o->v[0] = cx, o->v[1] = cy, o->v[2] = r;
    if (t->inner.ops)
        t->inner.ops->circle(t->inner.ctx, cx, cy, r, fill);
}

static void tape_text(void *ctx, double x, double y, const char *text, double size, bool bold,
                      enum anchor anchor, struct rgb color)
{
    struct canvas_tape *t = ctx;
    struct op *o = push(t, OP_TEXT, color);
    o->v[0] = x, o->v[1] = y, o->v[2] = size;
    o->text = xstrdup(text);
    o->bold = bold;
    o->anchor = anchor;
    if (t->inner.ops)
        t->inner.ops->text(t->inner.ctx, x, y, text, size, bold, anchor, color);
}

static const struct canvas_ops TAPE_OPS = {tape_rect,   tape_line,   tape_polyline,
                                           tape_sector, tape_circle, tape_text};

struct canvas_tape *canvas_tape_new(struct canvas inner)
{
    struct canvas_tape *t = xcalloc(1, sizeof *t);
    t->inner = inner;
    return t;
}

struct canvas canvas_tape(struct canvas_tape *t) { return (struct canvas){&TAPE_OPS, t}; }

void canvas_tape_play(const struct canvas_tape *t, struct canvas to)
{
    for (int i = 0; i < t->n; i++) {
        const struct op *o = &t->ops[i];
        const double *v = o->v;
        switch (o->kind) {
        case OP_RECT:
            to.ops->rect(to.ctx, v[0], v[1], v[2], v[3], o->color);
            break;
        case OP_LINE:
            to.ops->line(to.ctx, v[0], v[1], v[2], v[3], v[4], o->color);
            break;
        case OP_POLYLINE:
            to.ops->polyline(to.ctx, o->xy, o->n, v[0], o->color);
            break;
        case OP_SECTOR:
            to.ops->sector(to.ctx, v[0], v[1], v[2], v[3], v[4], v[5], o->color);
            break;
        case OP_CIRCLE:
            to.ops->circle(to.ctx, v[0], v[1], v[2], o->color);
            break;
        case OP_TEXT:
            to.ops->text(to.ctx, v[0], v[1], o->text, v[2], o->bold, o->anchor, o->color);
            break;
        }
    }
}

void canvas_tape_free(struct canvas_tape *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++) {
        free(t->ops[i].xy);
        free(t->ops[i].text);
    }
    free(t->ops);
    free(t);
}
