#define _DEFAULT_SOURCE
#include "canvas_pdf.h"
#include "xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct canvas_pdf {
    struct pdf_content *c; /* NULL: noting glyphs only */
    struct pdf_text *t;
    struct font_cut *cut;
    struct label_queue *q;
    struct fonts *fonts;
    enum font_role role;
    double x, y;
};

static void cp_rect(void *ctx, double x, double y, double w, double h, struct rgb fill)
{
    struct canvas_pdf *p = ctx;
    if (!p->c)
        return;
    pdf_fill_color(p->c, fill);
    pdf_rect(p->c, p->x + x, p->y + y, w, h);
    pdf_fill(p->c);
}

static void cp_line(void *ctx, double x1, double y1, double x2, double y2, double width, struct rgb color)
{
    struct canvas_pdf *p = ctx;
    if (!p->c)
        return;
    pdf_stroke_color(p->c, color);
    pdf_line_style(p->c, width, 0, p->c->join, 0);
    pdf_move(p->c, p->x + x1, p->y + y1);
    pdf_line(p->c, p->x + x2, p->y + y2);
    pdf_stroke(p->c);
}

static void cp_polyline(void *ctx, const double *xy, int n, double width, struct rgb color)
{
    struct canvas_pdf *p = ctx;
    if (!p->c || n < 1)
        return;
    pdf_stroke_color(p->c, color);
    pdf_line_style(p->c, width, 0, 1, 0);
    for (int i = 0; i < n; i++)
        (i ? pdf_line : pdf_move)(p->c, p->x + xy[2 * i], p->y + xy[2 * i + 1]);
    pdf_stroke(p->c);
}

/* Canvas angles run clockwise from 12 o'clock; pdf_arc's from 3 o'clock. */
static void cp_sector(void *ctx, double cx, double cy, double ro, double ri, double a0, double a1,
                      struct rgb fill)
{
    struct canvas_pdf *p = ctx;
    if (!p->c)
        return;
    cx += p->x, cy += p->y;
    pdf_fill_color(p->c, fill);
    pdf_arc(p->c, cx, cy, ro, a0 - M_PI / 2, a1 - M_PI / 2, false);
    if (ri > 0)
        pdf_arc(p->c, cx, cy, ri, a1 - M_PI / 2, a0 - M_PI / 2, true);
    else
        pdf_line(p->c, cx, cy);
    pdf_close(p->c);
    pdf_fill(p->c);
}

static void cp_circle(void *ctx, double cx, double cy, double r, struct rgb fill)
{
    struct canvas_pdf *p = ctx;
    if (!p->c)
        return;
    pdf_fill_color(p->c, fill);
    pdf_arc(p->c, p->x + cx, p->y + cy, r, 0, 2 * M_PI, false);
    pdf_close(p->c);
    pdf_fill(p->c);
}

/* A label's layout, its glyphs noted: the same label (a year, a unit, an
 * axis's figures) recurs in chart after chart, and is laid out once. */
static PangoLayout *label_layout(struct canvas_pdf *p, const char *text, double size, bool bold)
{
    char *key = xasprintf("%d %.4f %d %s", (int)p->role, size, (int)bold, text);
    PangoLayout *l = p->q->seen ? g_hash_table_lookup(p->q->seen, key) : NULL;
    if (l) {
        free(key);
        return g_object_ref(l);
    }
    l = fonts_text_layout(p->fonts, p->role, text, size, bold);
    font_cut_note(p->cut, l);
    if (!p->q->seen)
        p->q->seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, g_object_unref);
    g_hash_table_insert(p->q->seen, key, g_object_ref(l));
    return l;
}

static void cp_text(void *ctx, double x, double y, const char *text, double size, bool bold,
                    enum anchor anchor, struct rgb color)
{
    struct canvas_pdf *p = ctx;
    if (!p->c) {
        PangoLayout *l = label_layout(p, text, size, bold);
        p->q->layouts = xreallocarray(p->q->layouts, (size_t)p->q->n + 1, sizeof *p->q->layouts);
        p->q->layouts[p->q->n++] = l;
        return;
    }
    PangoLayout *l = p->q->next < p->q->n ? p->q->layouts[p->q->next++] : NULL;
    if (!l || strcmp(pango_layout_get_text(l), text)) /* not as noted: the cut will say */
        l = fonts_text_layout(p->fonts, p->role, text, size, bold);
    else
        g_object_ref(l);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    double dx = canvas_anchor_shift(anchor, w / (double)PANGO_SCALE);
    pdf_text_line(p->t, p->c, pango_layout_get_line_readonly(l, 0), p->x + x - dx, p->y + y, color);
    g_object_unref(l);
}

static const struct canvas_ops PDF_OPS = {cp_rect, cp_line, cp_polyline, cp_sector, cp_circle, cp_text};

struct canvas_pdf *canvas_pdf_new(struct pdf_content *c, struct pdf_text *t, struct font_cut *cut,
                                  struct label_queue *q, struct fonts *fonts, enum font_role role,
                                  double x, double y)
{
    struct canvas_pdf *p = xcalloc(1, sizeof *p);
    *p = (struct canvas_pdf){c, t, cut, q, fonts, role, x, y};
    return p;
}

void label_queue_free(struct label_queue *q)
{
    for (int i = 0; i < q->n; i++)
        g_object_unref(q->layouts[i]);
    free(q->layouts);
    if (q->seen)
        g_hash_table_destroy(q->seen);
    *q = (struct label_queue){0};
}

void canvas_pdf_free(struct canvas_pdf *c) { free(c); }

struct canvas canvas_pdf(struct canvas_pdf *c) { return (struct canvas){&PDF_OPS, c}; }
